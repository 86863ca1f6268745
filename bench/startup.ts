import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Measurement } from './measurement.js';
import { median } from './measure.js';

const CLI = 'bin/reachlog.js';
/** GNU time, when installed, adds each run's CPU time (user + system), which load skews less. */
const GNU_TIME = '/usr/bin/time';

/** The p-th percentile (0–100) by nearest rank. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Run {
  ms: number;
  cpuMs?: number;
}

/** One process, start to exit, output discarded; throws if it fails. */
function run(args: readonly string[]): Run {
  const timed = existsSync(GNU_TIME);
  const [command, argv] = timed
    ? [GNU_TIME, ['-f', 'cpu %U %S', process.execPath, ...args]]
    : [process.execPath, [...args]];
  const started = performance.now();
  const r = spawnSync(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim().split('\n')[0]}`);
  const cpu = /^cpu ([\d.]+) ([\d.]+)$/m.exec(r.stderr);
  return cpu ? { ms, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 } : { ms };
}

const cpuMedian = (runs: Run[]) => (runs[0]?.cpuMs === undefined ? undefined : median(runs.map((r) => r.cpuMs!)));

/**
 * How long `reachlog ARGS` takes from start to exit, against `node -e 0` measured in the same
 * run: the two alternate, so a busy machine slows both alike and the difference is the CLI's own.
 */
export function measureStartup(name: string, args: readonly string[], runs: number): Measurement {
  const bare: Run[] = [];
  const cli: Run[] = [];
  try {
    run([CLI, ...args]); // warms the disk cache; not counted
    for (let i = 0; i < runs; i++) {
      bare.push(run(['-e', '0']));
      cli.push(run([CLI, ...args]));
    }
  } catch (e) {
    return { name, error: (e as Error).message };
  }
  const wall = cli.map((r) => r.ms);
  const bareWall = bare.map((r) => r.ms);
  const over = median(wall) - median(bareWall);
  const cpu = cpuMedian(cli);
  const bareCpu = cpuMedian(bare);
  return {
    name,
    runs,
    ms: median(wall),
    p90Ms: percentile(wall, 90),
    baselineMs: median(bareWall),
    baselineP90Ms: percentile(bareWall, 90),
    ...(cpu === undefined ? {} : { cpuMs: cpu }),
    notes: [
      `\`node ${CLI} ${args.join(' ')}\` against \`node -e 0\`, alternating, ${runs} runs each: ` +
        `median ${over.toFixed(0)} ms over node -e 0 (×${(median(wall) / median(bareWall)).toFixed(2)})` +
        (cpu === undefined || bareCpu === undefined
          ? ''
          : `; CPU ${cpu.toFixed(0)} ms against ${bareCpu.toFixed(0)} ms (${(cpu - bareCpu).toFixed(0)} ms over)`),
    ],
  };
}
