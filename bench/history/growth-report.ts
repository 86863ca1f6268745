import type { TableSize } from './bench-database.js';
import { bytes, count, minutes, ms, table } from './markdown.js';

export interface CostSample {
  label: string;
  ms: number;
  status: 'changed' | 'unchanged';
  objectVersions: number;
  reachVersions: number;
  events: number;
}

export interface SizePoint {
  databaseBytes: number;
  tables: TableSize[];
}

export interface GrowthRun {
  mode: string;
  /** Objects per listed resource at the start and the end. */
  listed: { start: Record<string, number>; end: Record<string, number> };
  scenario: string;
  /** Days simulated; fewer than asked when the run was stopped. */
  days: number;
  askedDays: number;
  params: Record<string, number>;
  churn: string[];
  done: { rollouts: number; rolledWorkloads: number; policyEdits: Record<string, number>; newWorkloads: number };
  /** Set when the server runs without autovacuum and the benchmark VACUUMs in its stead. */
  vacuum: { everyHours: number; ms: number } | undefined;
  /** The commit and the uncommitted engine/worker/prisma files measured. */
  tree: string;
  wallMs: number;
  loopMs: number;
  peakRssBytes: number;
  emptyDatabaseBytes: number;
  /** Right after the first snapshot: the cluster stored once. */
  baseline: SizePoint;
  final: SizePoint;
  curve: (SizePoint & { day: number })[];
  costs: CostSample[];
  machine: string;
}

const YEAR_DAYS = 365;
const TARGET_BYTES = 1e9;

/** Tables that hold the latest state only: their size does not grow with the days. */
const BOUNDED = new Set(['cluster', 'current_pod']);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Per growing table: what a simulated day adds (after the first snapshot), and the year at that rate. */
function projection(run: GrowthRun) {
  const rest = YEAR_DAYS - run.days;
  return run.final.tables.map((t) => {
    const base = run.baseline.tables.find((b) => b.table === t.table)!;
    const bounded = BOUNDED.has(t.table);
    const bytesPerDay = bounded ? 0 : (t.bytes - base.bytes) / run.days;
    const rowsPerDay = bounded ? 0 : (t.rows - base.rows) / run.days;
    return {
      ...t,
      bounded,
      bytesPerDay,
      rowsPerDay,
      yearBytes: t.bytes + rest * bytesPerDay,
      yearRows: t.rows + rest * rowsPerDay,
    };
  });
}

/** Whole days as such, parts of days to two decimals. */
const dayCount = (days: number) => String(Math.round(days * 100) / 100);

const listed = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([plural, n]) => `${count(n)} ${plural}`)
    .join(', ');

export function growthReport(run: GrowthRun): string {
  const tables = projection(run);
  const perDay = tables.reduce((n, t) => n + t.bytesPerDay, 0);
  const yearBytes = run.final.databaseBytes + (YEAR_DAYS - run.days) * perDay;
  const verdict = yearBytes < TARGET_BYTES ? 'PASS' : 'FAIL';
  const changed = run.costs.filter((c) => c.status === 'changed').length;

  const summary = table(
    ['Measure', 'Value'],
    [
      [
        'Simulated',
        `${dayCount(run.days)} days, ${count(run.costs.length)} snapshots (${count(changed)} changed, ${count(run.costs.length - changed)} unchanged)`,
      ],
      [
        'Wall time',
        `${minutes(run.wallMs)} (snapshot loop ${minutes(run.loopMs)}; mean ${ms(run.loopMs / run.costs.length)} per snapshot)`,
      ],
      ['Peak RSS', bytes(run.peakRssBytes)],
      ['Database, empty (migrated)', bytes(run.emptyDatabaseBytes)],
      ['Database after the first snapshot', bytes(run.baseline.databaseBytes)],
      [`Database after ${dayCount(run.days)} days (pg_database_size)`, bytes(run.final.databaseBytes)],
      [
        'Measured growth per day (pg_database_size)',
        bytes((run.final.databaseBytes - run.baseline.databaseBytes) / run.days),
      ],
      ['Growth per day of the history tables', bytes(perDay)],
      [`Extrapolated to ${YEAR_DAYS} days`, bytes(yearBytes)],
      ['Target: under 1 GB (10^9 bytes) for a year', verdict],
    ],
  );

  const perTable = table(
    [
      'Table',
      'Rows',
      'Size (total relation)',
      'Rows / day',
      'Bytes / day',
      `Rows, ${YEAR_DAYS} d`,
      `Size, ${YEAR_DAYS} d`,
    ],
    tables.map((t) => [
      t.table,
      count(t.rows),
      bytes(t.bytes),
      t.bounded ? 'latest only' : count(t.rowsPerDay),
      t.bounded ? '—' : bytes(t.bytesPerDay),
      count(t.yearRows),
      bytes(t.yearBytes),
    ]),
  );

  const byLabel = new Map<string, CostSample[]>();
  for (const c of run.costs) byLabel.set(c.label, [...(byLabel.get(c.label) ?? []), c]);
  const costs = table(
    [
      'Snapshot',
      'Count',
      'changed / unchanged',
      'Mean',
      'p50',
      'p95',
      'Max',
      'Share of loop',
      'Object versions (mean)',
      'Reach versions (mean)',
      'Events (mean)',
    ],
    [...byLabel].map(([name, samples]) => {
      const times = samples.map((s) => s.ms).sort((a, b) => a - b);
      const total = times.reduce((a, b) => a + b, 0);
      const mean = (f: (s: CostSample) => number) => count(samples.reduce((n, s) => n + f(s), 0) / samples.length);
      const nChanged = samples.filter((s) => s.status === 'changed').length;
      return [
        name,
        count(samples.length),
        `${count(nChanged)} / ${count(samples.length - nChanged)}`,
        ms(total / samples.length),
        ms(quantile(times, 0.5)),
        ms(quantile(times, 0.95)),
        ms(times.at(-1)!),
        `${((100 * total) / run.loopMs).toFixed(0)}%`,
        mean((s) => s.objectVersions),
        mean((s) => s.reachVersions),
        mean((s) => s.events),
      ];
    }),
  );

  const step = Math.max(1, Math.round(run.curve.length / 8));
  const points = run.curve.filter((_, i) => i === 0 || (i + 1) % step === 0 || i === run.curve.length - 1);
  const sizeOf = (p: SizePoint, name: string) => bytes(p.tables.find((t) => t.table === name)!.bytes);
  const curve = table(
    [
      'Day',
      'Database',
      'snapshot',
      'object_version',
      'reach_version',
      'current_pod',
      'exposure_event',
      'exposure_event rows',
    ],
    points.map((p) => [
      p.day.toFixed(p.day % 1 ? 2 : 0),
      bytes(p.databaseBytes),
      sizeOf(p, 'snapshot'),
      sizeOf(p, 'object_version'),
      sizeOf(p, 'reach_version'),
      sizeOf(p, 'current_pod'),
      sizeOf(p, 'exposure_event'),
      count(p.tables.find((t) => t.table === 'exposure_event')!.rows),
    ]),
  );

  const { params, done } = run;
  return [
    `## Growth: ${run.scenario}, ${run.mode}, ${dayCount(run.days)} days${
      run.days < run.askedDays - 1e-9 ? ` (stopped early: ${run.askedDays} asked)` : ''
    }`,
    '',
    `${new Date().toISOString()} on ${run.machine}. Cluster at the start: ${count(params.pods!)} pods, ` +
      `${count(params.workloads!)} workloads, ${count(params.policies!)} NetworkPolicies; at the end ` +
      `${count(params.finalPods!)} pods, ${count(params.finalWorkloads!)} workloads, ${count(params.finalPolicies!)} policies.`,
    `Tree: ${run.tree}.`,
    `Objects handed to storeSnapshot per snapshot, as collectCluster lists them: ${listed(run.listed.start)} at the start, ${listed(run.listed.end)} at the end.`,
    run.mode === 'without-replicasets'
      ? "ReplicaSets left out (--no-replicasets), as the collector did before it listed them: a pod's workload is then its ReplicaSet, and every rollout renames it."
      : "With ReplicaSets listed, a Deployment's pods belong to the Deployment (ReplicaSet → ownerReference), which rollouts do not rename.",
    '',
    'Churn model:',
    ...run.churn.map((c) => `- ${c}`),
    `- done: ${count(done.rollouts)} hourly rollouts (${count(done.rolledWorkloads)} workloads rolled), ${Object.entries(
      done.policyEdits,
    )
      .map(([k, n]) => `${n} ${k}`)
      .join(' / ')} policy edits, ${done.newWorkloads} new workloads`,
    '',
    summary,
    '',
    `Per table at the end (pg_total_relation_size: heap + TOAST + indexes; ${
      run.vacuum
        ? `the server runs without autovacuum, so the benchmark VACUUMed snapshot, object_version, reach_version and current_pod every simulated hour, ${minutes(run.vacuum.ms)} in all`
        : 'autovacuum on'
    }); per-day rates from the first snapshot to the last; current_pod holds the latest pods only and is not extrapolated:`,
    '',
    perTable,
    '',
    'Cost of storeSnapshot per kind of snapshot (what happened in the 5 minutes before it):',
    '',
    costs,
    '',
    'Size over time:',
    '',
    curve,
    '',
  ].join('\n');
}
