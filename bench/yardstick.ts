/**
 * The engine's speed targets were set on the machine that measured the engine at c612694
 * (bench/README.md, 2026-11-25); this VM runs that same code 2–3× slower, and by different
 * amounts from hour to hour. So: run the reference engine and today's, alternately, on the same
 * cases in the same minutes, and scale today's time by what the reference machine measured
 * for the reference engine. The admin cases have no counterpart in the reference engine (it
 * has no admin tiers): they are scaled by their NetworkPolicy-only counterpart's factor.
 *
 *   node --import tsx bench/yardstick.ts [--rev REV] [--rounds N] [CASE…]
 *
 * Writes bench/out/yardstick.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledScript } from './bundled-script.js';
import { runCommand } from './child.js';
import { median } from './measure.js';
import { parseMeasurement } from './measurement.js';
import { TARGETS, verdict } from './targets.js';

const REFERENCE_REV = 'c612694';
/** Compute medians the reference machine measured at c612694 (bench/README.md, the 2026-11-25 table). */
const REFERENCE_MACHINE_MS: Readonly<Record<string, number>> = {
  medium: 155,
  large: 2070,
  wide: 2600,
  dense: 671,
  'unique-labels': 2070,
};
/** Cases the reference engine cannot compute, and the case whose factor scales them. */
const COUNTERPART: Readonly<Record<string, string>> = { 'large-admin': 'large', 'dense-admin': 'dense' };
const RUNS: Readonly<Record<string, string>> = { medium: '7', dense: '5' };

const { values, positionals } = parseArgs({
  options: { rev: { type: 'string', default: REFERENCE_REV }, rounds: { type: 'string', default: '2' } },
  allowPositionals: true,
});
const cases = positionals.length > 0 ? positionals : ['medium', 'large', 'dense', 'large-admin', 'dense-admin'];
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds ${values.rounds}: a whole number ≥ 1`);
// Checked before minutes of runs: a case the reference machine never measured cannot be scaled.
for (const name of cases) {
  const counterpart = COUNTERPART[name] ?? name;
  if (!REFERENCE_MACHINE_MS[counterpart]) {
    throw new Error(
      `${name}: no reference-machine time to scale by (cases: ${[...Object.keys(REFERENCE_MACHINE_MS), ...Object.keys(COUNTERPART)].join(', ')})`,
    );
  }
}

/** The reference engine's compute-one, bundled in a worktree of its own (dependencies shared). */
function referenceScript(rev: string): string {
  const dir = join(tmpdir(), `reachlog-yardstick-${rev}`);
  if (!existsSync(dir)) execFileSync('git', ['worktree', 'add', '--detach', dir, rev], { stdio: 'inherit' });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  return bundledScript('bench/compute-one.ts', dir);
}

async function computeMs(script: string, name: string): Promise<{ ms: number; steal?: number }> {
  const runs = RUNS[name] ?? '3';
  const result = await runCommand(process.execPath, ['--expose-gc', script, name, runs], 30 * 60_000);
  const m = parseMeasurement(result.stdout);
  if (!m?.ms) throw new Error(`${script} ${name}: no measurement (exit ${result.code})`);
  return { ms: m.ms, steal: m.stealPercent };
}

// Only the compute is compared; listing every connection is not part of the target.
process.env.BENCH_CONNLIST_BUDGET_MS = '1';
const reference = referenceScript(values.rev!);
const current = bundledScript('bench/compute-one.ts');
const referenceTimes = new Map<string, number[]>();
const currentTimes = new Map<string, number[]>();
const steals: number[] = [];
const push = (map: Map<string, number[]>, key: string, ms: number) => map.set(key, [...(map.get(key) ?? []), ms]);

for (let round = 0; round < rounds; round++) {
  for (const name of cases) {
    const counterpart = COUNTERPART[name] ?? name;
    // Alternated, so a slow minute of the VM falls on both.
    const ref = await computeMs(reference, counterpart);
    const now = await computeMs(current, name);
    push(referenceTimes, name, ref.ms);
    push(currentTimes, name, now.ms);
    if (now.steal !== undefined) steals.push(now.steal);
    console.error(`${name}: reference ${counterpart} ${ref.ms.toFixed(0)} ms, now ${now.ms.toFixed(0)} ms`);
  }
}

const rows = cases.map((name) => {
  const counterpart = COUNTERPART[name] ?? name;
  const referenceHere = median(referenceTimes.get(name)!);
  const nowHere = median(currentTimes.get(name)!);
  const scaled = (nowHere / referenceHere) * REFERENCE_MACHINE_MS[counterpart]!;
  return `| ${name} | ${counterpart} ${referenceHere.toFixed(0)} ms | ${nowHere.toFixed(0)} ms | ${(nowHere / referenceHere).toFixed(2)} | ${REFERENCE_MACHINE_MS[counterpart]} ms | ${scaled.toFixed(0)} ms | ${TARGETS[name]?.text ?? ''} | ${verdict({ name, ms: scaled })} |`;
});
const table = [
  `Reference engine ${values.rev} and now, alternated, ${rounds} round(s), medians; steal during today's runs ${Math.max(0, ...steals).toFixed(1)} % at most.`,
  '',
  '| Case | reference engine here | now here | now / reference | reference engine on the reference machine | now, scaled to that machine | Target | Result |',
  '|:--|--:|--:|--:|--:|--:|:--|:--|',
  ...rows,
].join('\n');
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/yardstick.md', `${table}\n`);
console.log(table);
