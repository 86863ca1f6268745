/**
 * A big change: time and peak RSS to store a generated cluster, then a different one (another
 * seed: every namespace, workload and policy differs) as its next snapshot.
 *   node --import tsx bench/history/big-change.ts [PODS ...]     (default: 20000 150000)
 * Each size runs in a process of its own (bench/history/big-change-one.ts). The table goes to
 * stdout and to bench/out/history-results.md.
 */
import { cpus } from 'node:os';
import { runCommand } from '../child.js';
import type { BigChangeResult } from './big-change-result.js';
import { RESULT_PREFIX } from './ingest-result.js';
import { bytes, count, ms, table, writeSection } from './markdown.js';
import { treeState } from './tree-state.js';

/** "a 150k-pod cluster with every policy changed stored under 2 GiB peak RSS" (issue 9) */
const PEAK_RSS_TARGET = 2 * 2 ** 30;
const TIMEOUT_MS = 60 * 60_000;

const asked = process.argv.slice(2).filter((a) => a !== '--');
const sizes = (asked.length ? asked : ['20000', '150000']).map(Number);

const results: (BigChangeResult | { pods: number; error: string })[] = [];
for (const pods of sizes) {
  console.error(`\n== big change, ${pods} pods`);
  const run = await runCommand(
    process.execPath,
    ['--import', 'tsx', 'bench/history/big-change-one.ts', String(pods)],
    TIMEOUT_MS,
  );
  const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  results.push(
    line && run.code === 0
      ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as BigChangeResult)
      : { pods, error: `exit ${run.code}: ${run.stderrTail.trim().split('\n').at(-1)}` },
  );
}

const rows = results.map((r) =>
  'error' in r
    ? [count(r.pods), '', '', '', '', '', '', `**${r.error}**`]
    : [
        count(r.pods),
        count(r.second.workloads),
        ms(r.firstStoreMs),
        ms(r.secondStoreMs),
        count(r.second.events),
        bytes(r.tables.find((t) => t.table === 'exposure_event')?.bytes ?? 0),
        bytes(r.peakRssBytes),
        r.pods >= 150_000 ? (r.peakRssBytes < PEAK_RSS_TARGET ? 'PASS' : 'FAIL') : '—',
      ],
);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, Node ${process.version}`;
const report = [
  '## Big change',
  '',
  `${new Date().toISOString()} on ${machine}. Tree: ${treeState()}. storeSnapshot of a generated cluster ` +
    '(one namespace per 30 pods, one policy per 15), then of a different one of the same shape as the next ' +
    "snapshot; peak RSS is the process's (process.resourceUsage().maxRSS), generation included.",
  '',
  table(
    [
      'Pods',
      'Workloads',
      'First snapshot',
      'Big change stored',
      'Exposure events',
      'exposure_event size',
      'Peak RSS',
      'Peak RSS < 2 GiB (150k pods)',
    ],
    rows,
  ),
  '',
].join('\n');
writeSection('big-change', report);
console.log(`\n${report}`);
process.exitCode = results.some((r) => 'error' in r) ? 1 : 0;
