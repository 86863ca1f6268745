import { existsSync, statSync } from 'node:fs';
import { runCommand } from './child.js';
import type { Measurement } from './measurement.js';

const CLI = 'bin/reachlog.js';
const GNU_TIME = '/usr/bin/time';
const TIMEOUT_MS = 10 * 60_000;

/** User + system seconds as GNU time prints them; absent with the preload fallback. */
function cpuMsOf(stderr: string): number | undefined {
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  return user && system ? (Number(user[1]) + Number(system[1])) * 1000 : undefined;
}

function peakRssOf(stderr: string): number | undefined {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return match ? Number(match[1]) * 1024 : undefined;
}

/**
 * The whole CLI on a scenario written as a `kubectl get -o json` file: read, parse, compute,
 * format, output to /dev/null. Wall time as seen from outside; peak RSS from GNU time (or, without
 * it, from a preload that reports the CLI's own maxRSS).
 */
export async function measureCli(scenarioName: string, file: string): Promise<Measurement> {
  const name = 'cli';
  if (!existsSync(CLI)) return { name, error: `${CLI} not found (the CLI has not landed)` };
  const generated = await runCommand(
    process.execPath,
    ['--import', 'tsx', 'bench/generate/cli.ts', scenarioName, file],
    TIMEOUT_MS,
  );
  if (generated.code !== 0) return { name, error: `generating ${file} failed` };

  const command = ['-c', `exec "$@" > /dev/null`, 'sh'];
  const cli = existsSync(GNU_TIME)
    ? [GNU_TIME, '-v', process.execPath, CLI]
    : [process.execPath, '--import', './bench/report-rss-on-exit.mjs', CLI];
  const result = await runCommand('sh', [...command, ...cli, 'analyze', file, '--output', 'json'], TIMEOUT_MS);
  const notes = [
    `${scenarioName} scenario as one ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB JSON List`,
    `\`node ${CLI} analyze ${file} --output json > /dev/null\``,
  ];
  const measured: Measurement = {
    name,
    ms: result.ms,
    cpuMs: cpuMsOf(result.stderrTail),
    peakRssBytes: peakRssOf(result.stderrTail),
    notes,
  };
  if (result.code !== 0) {
    const lines = result.stderrTail.split('\n').map((l) => l.trim());
    const reason = lines.find((l) => /error/i.test(l)) ?? lines.find(Boolean) ?? '';
    measured.error = `CLI exit ${result.code}: ${reason}`;
  }
  return measured;
}
