/**
 * The engine benchmark: `npm run bench` (every case) or `npm run bench -- small medium`.
 * Each scenario runs in a child process of its own; the table goes to stdout and to
 * bench/out/results.md. Exits 1 if the engine disagrees with the naive evaluator or a case errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { runBenchScript } from './child.js';
import { measureCli } from './cli-run.js';
import type { Measurement } from './measurement.js';
import { measureStartup } from './startup.js';
import { markdownTable } from './table.js';

const OUT_DIR = 'bench/out';
const MINUTE = 60_000;

/** Every case, in table order: runs are the median's sample size (3 for the big ones). */
const CASES: Record<string, () => Promise<Measurement>> = {
  small: () => runBenchScript('small', 'bench/compute-one.ts', ['small', '7'], 10 * MINUTE),
  medium: () => runBenchScript('medium', 'bench/compute-one.ts', ['medium', '7'], 10 * MINUTE),
  large: () => runBenchScript('large', 'bench/compute-one.ts', ['large', '3'], 20 * MINUTE),
  wide: () => runBenchScript('wide', 'bench/compute-one.ts', ['wide', '3'], 20 * MINUTE),
  dense: () => runBenchScript('dense', 'bench/compute-one.ts', ['dense', '3'], 20 * MINUTE),
  'unique-labels': () => runBenchScript('unique-labels', 'bench/compute-one.ts', ['unique-labels', '3'], 20 * MINUTE),
  'large-admin': () => runBenchScript('large-admin', 'bench/compute-one.ts', ['large-admin', '3'], 20 * MINUTE),
  'dense-admin': () => runBenchScript('dense-admin', 'bench/compute-one.ts', ['dense-admin', '3'], 20 * MINUTE),
  'one-edit': () => runBenchScript('one-edit', 'bench/one-edit.ts', ['7'], 10 * MINUTE),
  cli: () => measureCli('large', `${OUT_DIR}/large.json`),
  check: () => runBenchScript('check', 'bench/check-naive.ts', ['20000'], 10 * MINUTE),
  'startup-help': async () => measureStartup('startup-help', ['--help'], 21),
  'startup-analyze': async () => measureStartup('startup-analyze', ['analyze', 'examples/shop'], 21),
};

const asked = process.argv.slice(2).filter((a) => a !== '--');
const unknown = asked.filter((a) => !Object.hasOwn(CASES, a));
if (unknown.length) {
  console.error(`unknown case(s) ${unknown.join(', ')}; known: ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}
const selected = Object.keys(CASES).filter((name) => asked.length === 0 || asked.includes(name));

mkdirSync(OUT_DIR, { recursive: true });
// Other work on the machine skews wall times; the load at the start says how much to trust them.
const loadAtStart = loadavg()[0]!.toFixed(1);
const rows: Measurement[] = [];
for (const name of selected) {
  console.error(`\n== ${name}`);
  rows.push(await CASES[name]!());
}

/** Which engine was measured: the commit, and whether engine/ had uncommitted changes. */
function engineVersion(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', 'engine'], { encoding: 'utf8' }).trim() !== '';
    return `engine at ${head}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'engine version unknown (no git)';
  }
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, Node ${process.version}, load average ${loadAtStart} at start`;
const report = `# reachlog engine benchmark\n\n${new Date().toISOString()} on ${machine}; ${engineVersion()}\n\n${markdownTable(rows)}\n`;
writeFileSync(`${OUT_DIR}/results.md`, report);
console.log(`\n${report}`);
process.exitCode = rows.some((m) => m.error) ? 1 : 0;
