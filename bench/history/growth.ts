/**
 * How big reachlog's history gets: days of 5-minute snapshots of a changing cluster, every one
 * stored with storeSnapshot into a fresh database, then size and rows per table, extrapolated
 * to a year (target: under 1 GB).
 *
 *   node --import tsx bench/history/growth.ts [--days 30] [--scenario medium] [--no-replicasets] [--keep]
 *
 * storeSnapshot gets the kinds collectCluster lists (worker/collect/kube-resources.ts).
 * --no-replicasets leaves ReplicaSets out, as the collector did before it listed them: a pod's
 * workload is then its ReplicaSet, renamed by every rollout.
 * The tables go to stdout and to bench/out/history-results.md. Ctrl-C (or SIGTERM) stops after
 * the current snapshot and reports the days simulated so far.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { storeSnapshot } from '../../worker/snapshot/store-snapshot.js';
import { Prng } from '../generate/prng.js';
import { scenario } from '../generate/scenarios.js';
import { BenchDatabase, type TableSize } from './bench-database.js';
import { COLLECTED_KINDS } from './collected-objects.js';
import { daySchedule, DEFAULT_CHURN, describeChurn, slotsPerDay, type SlotEvents } from './churn-model.js';
import { growthReport, type CostSample, type GrowthRun } from './growth-report.js';
import { writeSection } from './markdown.js';
import { PolicyEditor } from './policy-edits.js';
import { SimulatedCluster } from './simulated-cluster.js';
import { treeState } from './tree-state.js';

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '30' },
    scenario: { type: 'string', default: 'medium' },
    'no-replicasets': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const days = Number(args.days);
if (!(days > 0)) throw new Error(`--days must be a positive number, got ${args.days}`);

/** Simulated time starts here; the clock plays no part. */
const START = Date.UTC(2025, 0, 1);
const churn = DEFAULT_CHURN;
const perDay = slotsPerDay(churn);
const totalSlots = Math.round(days * perDay);
const slotsPerHour = Math.round(60 / churn.snapshotEveryMinutes);
const kinds = new Map(COLLECTED_KINDS);
if (args['no-replicasets']) kinds.delete('replicasets');
const mode = kinds.has('replicasets') ? 'with-replicasets' : 'without-replicasets';

function label(e: SlotEvents): string {
  const parts = [
    ...(e.rollout ? ['rollout'] : []),
    ...(e.policyEdits ? ['policy edit'] : []),
    ...(e.newWorkloads ? ['new workload'] : []),
  ];
  return parts.length ? parts.join(' + ') : 'no change';
}

// A long run stopped (Ctrl-C, SIGTERM) still reports the days it simulated, and drops its database.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    console.error(`${signal}: stopping after this snapshot, reporting the days simulated so far`);
  });
}
const started = performance.now();
const db = await BenchDatabase.create(`growth_${mode.replace('-', '_')}`);
const emptyDatabaseBytes = await db.databaseBytes();
// Without autovacuum, every rewrite of current_pod and every ended version would stay as dead rows.
const vacuumHourly = !(await db.autovacuum());
let vacuumMs = 0;
const sim = new SimulatedCluster(scenario(args.scenario), kinds);
const params = { pods: sim.podCount, workloads: sim.workloadCount, policies: sim.policyCount };
const listedAtStart = sim.counts();
const schedule = new Prng(0xc0ffee);
const editor = new PolicyEditor(new Prng(0xed17));
const costs: CostSample[] = [];
const curve: { day: number; databaseBytes: number; tables: TableSize[] }[] = [];
let baseline: { databaseBytes: number; tables: TableSize[] } | undefined;
let newWorkloads = 0;
let rollouts = 0;
let rolledWorkloads = 0;
const loopStarted = performance.now();
let slot = 0;

try {
  while (slot < totalSlots && !stopping) {
    const day = Math.floor(slot / perDay);
    const events = daySchedule(churn, day, schedule);
    for (let s = 0; s < perDay && slot < totalSlots && !stopping; s++, slot++) {
      const e = events[s]!;
      if (e.rollout) {
        rolledWorkloads += sim.rollout(churn.rolloutFraction);
        rollouts++;
      }
      for (let i = 0; i < e.policyEdits; i++) sim.touched(editor.edit(sim.policies()).policy);
      for (let i = 0; i < e.newWorkloads; i++, newWorkloads++) sim.addWorkload();
      const t0 = performance.now();
      const outcome = await storeSnapshot(db.pool, db.clusterId, sim.objects(), {
        takenAt: new Date(START + slot * churn.snapshotEveryMinutes * 60_000),
      });
      costs.push({
        label: slot === 0 ? 'first (baseline)' : label(e),
        ms: performance.now() - t0,
        status: outcome.status,
        objectVersions: outcome.counts.objectVersions,
        reachVersions: outcome.counts.reachVersions,
        events: outcome.counts.events,
      });
      if (slot === 0) baseline = { databaseBytes: await db.databaseBytes(), tables: await db.tableSizes(false) };
      if (vacuumHourly && (slot + 1) % slotsPerHour === 0) {
        const v0 = performance.now();
        await db.vacuumUpdatedTables();
        vacuumMs += performance.now() - v0;
      }
    }
    const done = slot / perDay;
    curve.push({ day: done, databaseBytes: await db.databaseBytes(), tables: await db.tableSizes(false) });
    const elapsed = performance.now() - loopStarted;
    console.error(
      `day ${done.toFixed(2)}/${days}: ${(curve.at(-1)!.databaseBytes / 2 ** 20).toFixed(1)} MiB, ` +
        `${(elapsed / 60_000).toFixed(1)} min so far, about ${(((elapsed / slot) * (totalSlots - slot)) / 60_000).toFixed(1)} min to go`,
    );
  }

  if (slot === 0) throw new Error('stopped before the first snapshot');
  const run: GrowthRun = {
    mode,
    listed: { start: listedAtStart, end: sim.counts() },
    scenario: args.scenario,
    days: slot / perDay,
    askedDays: days,
    params: { ...params, finalPods: sim.podCount, finalWorkloads: sim.workloadCount, finalPolicies: sim.policyCount },
    churn: describeChurn(churn),
    done: { rollouts, rolledWorkloads, policyEdits: editor.done, newWorkloads },
    vacuum: vacuumHourly ? { everyHours: 1, ms: vacuumMs } : undefined,
    tree: treeState(),
    wallMs: performance.now() - started,
    loopMs: performance.now() - loopStarted,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    emptyDatabaseBytes,
    baseline: baseline!,
    final: { databaseBytes: await db.databaseBytes(), tables: await db.tableSizes(false) },
    curve,
    costs,
    machine: `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, Node ${process.version}`,
  };
  const report = growthReport(run);
  writeSection(`growth-${mode}`, report);
  console.log(report);
} finally {
  await db.close(args.keep);
  if (args.keep) console.error(`kept database ${db.name}`);
}
