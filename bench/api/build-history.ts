/**
 * The history the API latency benchmark queries: the growth benchmark's simulated medium cluster
 * (bench/history: SimulatedCluster, the default churn model, a snapshot per 5-minute slot),
 * stored into a kept database whose last snapshot is now, so relative times (`since=7d`) land in it.
 *
 *   node --import tsx bench/api/build-history.ts [--days 3] [--scenario medium]
 *
 * The database is kept, named after what it holds (`reachlog_bench_history_<scenario>_<days>d`,
 * e.g. reachlog_bench_history_medium_30d; `--database NAME` to choose); where it is goes to
 * bench/out/api-history.json (read by latency.ts and dashboard.ts).
 *
 * Slots in which nothing happened (nine in ten) are written together as the rows storeSnapshot
 * writes for an unchanged collection (quiet-snapshots.ts). So are slots with only a rollout:
 * with ReplicaSets collected a rollout leaves the content unchanged and moves only pods, which
 * reachlog keeps for the latest snapshot alone (current_pod), so the next storeSnapshot writes
 * them; the rows differ from storeSnapshot's only in duration_ms (null) and the pods hash in
 * counts. Each day's first quiet slot and first rollout go through storeSnapshot and must come
 * out `unchanged`, as a check; so do every slot with a policy edit or a new workload and the
 * last slot (so current_pod holds the last snapshot's pods).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { storeSnapshot } from '../../worker/snapshot/store-snapshot.js';
import { Prng } from '../generate/prng.js';
import { scenario } from '../generate/scenarios.js';
import { BenchDatabase } from '../history/bench-database.js';
import { daySchedule, DEFAULT_CHURN, slotsPerDay } from '../history/churn-model.js';
import { COLLECTED_KINDS } from '../history/collected-objects.js';
import { storeQuietSnapshots } from '../history/quiet-snapshots.js';
import { PolicyEditor } from '../history/policy-edits.js';
import { SimulatedCluster } from '../history/simulated-cluster.js';
import { HISTORY_FILE, type HistoryInfo } from './history-info.js';

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '3' },
    scenario: { type: 'string', default: 'medium' },
    database: { type: 'string' },
  },
});
const days = Number(args.days);
if (!(days > 0)) throw new Error(`--days must be a positive number, got ${args.days}`);

const churn = DEFAULT_CHURN;
const perDay = slotsPerDay(churn);
const totalSlots = Math.round(days * perDay);
const stepMs = churn.snapshotEveryMinutes * 60_000;
// The last snapshot falls on the 5-minute boundary before now.
const end = Math.floor(Date.now() / stepMs) * stepMs;
const start = end - (totalSlots - 1) * stepMs;

const started = performance.now();
const db = await BenchDatabase.create(
  'api_latency',
  args.database ?? `reachlog_bench_history_${args.scenario}_${days}d`,
);
const sim = new SimulatedCluster(scenario(args.scenario), new Map(COLLECTED_KINDS));
const schedule = new Prng(0xc0ffee);
const editor = new PolicyEditor(new Prng(0xed17));
const vacuumHourly = !(await db.autovacuum());
const slotsPerHour = Math.round(60 / churn.snapshotEveryMinutes);
let quiet: Date[] = [];
let stored = 0;
try {
  for (let slot = 0; slot < totalSlots;) {
    const day = Math.floor(slot / perDay);
    const events = daySchedule(churn, day, schedule);
    const checked = { quiet: false, rollout: false };
    for (let s = 0; s < perDay && slot < totalSlots; s++, slot++) {
      const e = events[s]!;
      const takenAt = new Date(start + slot * stepMs);
      if (e.rollout) sim.rollout(churn.rolloutFraction);
      for (let i = 0; i < e.policyEdits; i++) sim.touched(editor.edit(sim.policies()).policy);
      for (let i = 0; i < e.newWorkloads; i++) sim.addWorkload();
      const kind = e.policyEdits > 0 || e.newWorkloads > 0 || slot === 0 ? 'change' : e.rollout ? 'rollout' : 'quiet';
      if (kind !== 'change' && checked[kind] && slot < totalSlots - 1) quiet.push(takenAt);
      else {
        await storeQuietSnapshots(db.pool, db.clusterId, quiet);
        quiet = [];
        const outcome = await storeSnapshot(db.pool, db.clusterId, sim.objects(), { takenAt });
        stored++;
        if (kind !== 'change') {
          if (outcome.status !== 'unchanged')
            throw new Error(`slot ${slot}: a ${kind} slot stored as ${outcome.status}`);
          checked[kind] = true;
        }
      }
      if (vacuumHourly && (slot + 1) % slotsPerHour === 0) {
        await storeQuietSnapshots(db.pool, db.clusterId, quiet);
        quiet = [];
        await db.vacuumUpdatedTables();
      }
    }
    await storeQuietSnapshots(db.pool, db.clusterId, quiet);
    quiet = [];
    const elapsed = performance.now() - started;
    console.error(
      `day ${(slot / perDay).toFixed(2)}/${days}: ${(elapsed / 60_000).toFixed(1)} min, ${stored} through storeSnapshot, ` +
        `about ${(((elapsed / slot) * (totalSlots - slot)) / 60_000).toFixed(1)} min to go`,
    );
  }
  await db.pool.query('VACUUM ANALYZE');
  const info: HistoryInfo = {
    url: db.url,
    database: db.name,
    cluster: 'api_latency',
    clusterId: db.clusterId,
    scenario: args.scenario,
    days,
    snapshots: totalSlots,
    storedThroughStoreSnapshot: stored,
    firstTakenAt: new Date(start).toISOString(),
    lastTakenAt: new Date(end).toISOString(),
    pods: sim.podCount,
    policies: sim.policyCount,
    databaseBytes: await db.databaseBytes(),
    buildMs: performance.now() - started,
  };
  writeFileSync(HISTORY_FILE, `${JSON.stringify(info, null, 2)}\n`);
  console.log(JSON.stringify(info, null, 2));
} finally {
  await db.close(true);
}
