import { spawnSync } from 'node:child_process';
import type { Measurement } from './measurement.js';
import { median } from './measure.js';

const CLI = 'bin/reachlog.js';

/** The p-th percentile (0–100) by nearest rank. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Wall time of one process, start to exit, output discarded; throws if it fails. */
function wallMs(args: readonly string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim().split('\n')[0]}`);
  return ms;
}

/**
 * How long `reachlog ARGS` takes from start to exit, against `node -e 0` measured in the same
 * run: the two alternate, so a busy machine slows both alike and the difference is the CLI's own.
 */
export function measureStartup(name: string, args: readonly string[], runs: number): Measurement {
  const bare: number[] = [];
  const cli: number[] = [];
  try {
    wallMs([CLI, ...args]); // warms the disk cache; not counted
    for (let i = 0; i < runs; i++) {
      bare.push(wallMs(['-e', '0']));
      cli.push(wallMs([CLI, ...args]));
    }
  } catch (e) {
    return { name, error: (e as Error).message };
  }
  const over = median(cli) - median(bare);
  return {
    name,
    runs,
    ms: median(cli),
    p90Ms: percentile(cli, 90),
    baselineMs: median(bare),
    baselineP90Ms: percentile(bare, 90),
    notes: [
      `\`node ${CLI} ${args.join(' ')}\` against \`node -e 0\`, alternating, ${runs} runs each: ` +
        `median ${over.toFixed(0)} ms over node -e 0 (×${(median(cli) / median(bare)).toFixed(2)})`,
    ],
  };
}
