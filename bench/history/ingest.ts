/**
 * Ingest: time and peak RSS to collect a cluster from the (fake) API server and store it.
 *   node --import tsx bench/history/ingest.ts [medium] [large] [--embedded]
 * --embedded stores into the embedded PGlite store (batched INSERTs, no COPY) instead of DATABASE_URL's server.
 * Each scenario runs in a process of its own (bench/history/ingest-one.ts), its fake API
 * server in another. The table goes to stdout and to bench/out/history-results.md.
 */
import { cpus } from 'node:os';
import { runCommand } from '../child.js';
import { scenario } from '../generate/scenarios.js';
import { RESULT_PREFIX, type IngestResult } from './ingest-result.js';
import { bytes, count, ms, table, writeSection } from './markdown.js';
import { treeState } from './tree-state.js';

/** "a 150k-pod snapshot ... is collected and stored in under 10 s after the lists return" */
const STORE_TARGET_MS = 10_000;
const TIMEOUT_MS = 30 * 60_000;

const embedded = process.argv.includes('--embedded');
const asked = process.argv.slice(2).filter((a) => a !== '--' && a !== '--embedded');
const names = asked.length ? asked : ['medium', 'large'];
names.forEach((n) => scenario(n)); // unknown names fail here, before anything runs

const results: (IngestResult | { scenario: string; error: string })[] = [];
for (const name of names) {
  console.error(`\n== ingest ${name}`);
  const run = await runCommand(
    process.execPath,
    ['--import', 'tsx', 'bench/history/ingest-one.ts', name, ...(embedded ? ['--embedded'] : [])],
    TIMEOUT_MS,
  );
  const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  results.push(
    line && run.code === 0
      ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as IngestResult)
      : { scenario: name, error: `exit ${run.code}: ${run.stderrTail.trim().split('\n').at(-1)}` },
  );
}

const ok = results.filter((r): r is IngestResult => !('error' in r));
const rows = ok.map((r) => {
  const p = scenario(r.scenario);
  const target = r.scenario === 'large' ? (r.storeMs < STORE_TARGET_MS ? 'PASS' : 'FAIL') : '—';
  return [
    r.store === 'embedded' ? `${r.scenario}, embedded` : r.scenario,
    count(p.pods),
    count(Object.values(r.counts).reduce((a, b) => a + b, 0)),
    count(r.pages),
    ms(r.listMs),
    ms(r.storeMs),
    ms(r.listMs + r.storeMs),
    bytes(r.rssAfterListBytes),
    bytes(r.rssAfterStoreBytes),
    bytes(r.peakRssBytes),
    count(r.tables.reduce((n, t) => n + (t.table === 'cluster' ? 0 : t.rows), 0)),
    bytes(r.databaseBytes),
    `${ms(r.secondListMs)} + ${ms(r.secondStoreMs)} (${r.secondStatus})`,
    target,
  ];
});
const headers = [
  'Scenario',
  'Pods',
  'Objects listed',
  'Pages',
  'List',
  'Store',
  'Total',
  'Peak RSS after list',
  'after store',
  'after 2nd round',
  'Rows written',
  'Database',
  'Again, same content: list + store',
  'Store < 10 s (150k pods)',
];
const rowTables = table(
  ['Scenario', ...(ok[0] ? ok[0].tables.map((t) => t.table) : [])],
  ok.map((r) => [r.scenario, ...r.tables.map((t) => `${count(t.rows)} rows, ${bytes(t.bytes)}`)]),
);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, Node ${process.version}`;
const report = [
  embedded ? '## Ingest, embedded store (PGlite)' : '## Ingest',
  '',
  `${new Date().toISOString()} on ${machine}. collectCluster (500 per page) from the fake API server in another process, into memory; ` +
    "then storeSnapshot into a fresh, migrated database. Peak RSS is the collecting process's (process.resourceUsage().maxRSS).",
  `Tree: ${treeState()}.`,
  `Listed: ${ok
    .map(
      (r) =>
        `${r.scenario}: ${Object.entries(r.counts)
          .map(([k, n]) => `${count(n)} ${k}`)
          .join(', ')}`,
    )
    .join('; ')}.`,
  '',
  table(headers, rows),
  '',
  'Rows and size per table after the first snapshot:',
  '',
  rowTables,
  ...results.filter((r) => 'error' in r).map((r) => `\n- ${r.scenario}: **${'error' in r ? r.error : ''}**`),
  '',
].join('\n');
writeSection(embedded ? 'ingest-embedded' : 'ingest', report);
console.log(`\n${report}`);
process.exitCode = results.some((r) => 'error' in r) ? 1 : 0;
