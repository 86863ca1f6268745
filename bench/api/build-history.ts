/**
 * The history the API latency benchmark queries: the growth benchmark's simulated medium cluster
 * (bench/history: SimulatedCluster, the default churn model, storeSnapshot per 5-minute slot),
 * stored into a kept database whose last snapshot is now, so relative times (`since=7d`) land in it.
 *
 *   node --import tsx bench/api/build-history.ts [--days 3] [--scenario medium]
 *
 * Writes where the database is to bench/out/api-history.json (read by latency.ts).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { storeSnapshot } from '../../worker/snapshot/store-snapshot.js';
import { Prng } from '../generate/prng.js';
import { scenario } from '../generate/scenarios.js';
import { BenchDatabase } from '../history/bench-database.js';
import { daySchedule, DEFAULT_CHURN, slotsPerDay } from '../history/churn-model.js';
import { COLLECTED_KINDS } from '../history/collected-objects.js';
import { PolicyEditor } from '../history/policy-edits.js';
import { SimulatedCluster } from '../history/simulated-cluster.js';
import { HISTORY_FILE, type HistoryInfo } from './history-info.js';

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '3' },
    scenario: { type: 'string', default: 'medium' },
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
const db = await BenchDatabase.create('api_latency');
const sim = new SimulatedCluster(scenario(args.scenario), new Map(COLLECTED_KINDS));
const schedule = new Prng(0xc0ffee);
const editor = new PolicyEditor(new Prng(0xed17));
const vacuumHourly = !(await db.autovacuum());
const slotsPerHour = Math.round(60 / churn.snapshotEveryMinutes);
try {
  for (let slot = 0; slot < totalSlots;) {
    const day = Math.floor(slot / perDay);
    const events = daySchedule(churn, day, schedule);
    for (let s = 0; s < perDay && slot < totalSlots; s++, slot++) {
      const e = events[s]!;
      if (e.rollout) sim.rollout(churn.rolloutFraction);
      for (let i = 0; i < e.policyEdits; i++) sim.touched(editor.edit(sim.policies()).policy);
      for (let i = 0; i < e.newWorkloads; i++) sim.addWorkload();
      await storeSnapshot(db.pool, db.clusterId, sim.objects(), { takenAt: new Date(start + slot * stepMs) });
      if (vacuumHourly && (slot + 1) % slotsPerHour === 0) await db.vacuumUpdatedTables();
    }
    const elapsed = performance.now() - started;
    console.error(
      `day ${(slot / perDay).toFixed(2)}/${days}: ${(elapsed / 60_000).toFixed(1)} min, ` +
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
