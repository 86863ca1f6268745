/**
 * The exposure report over 30 days of the 10k-pod (medium) history: builds the history with
 * the growth benchmark's simulated cluster and churn (rollouts of 10 % of workloads, 20 policy
 * edits and 5 new workloads a day), then times the report (compute, JSON render) several times.
 *
 *   node --import tsx bench/reports/exposure-report.ts [--days 30] [--every-hours 6] [--runs 3]
 *
 * Snapshots every `--every-hours` (the API benchmark's 5-minute history takes two hours to build);
 * each snapshot follows a rollout, so every one changes content.
 */
import { parseArgs } from 'node:util';
import { ReportService } from '../../api/services/reports/report-service.js';
import { renderReport } from '../../api/services/reports/render/index.js';
import { storeSnapshot } from '../../worker/snapshot/store-snapshot.js';
import { Prng } from '../generate/prng.js';
import { scenario } from '../generate/scenarios.js';
import { BenchDatabase } from '../history/bench-database.js';
import { COLLECTED_KINDS } from '../history/collected-objects.js';
import { PolicyEditor } from '../history/policy-edits.js';
import { SimulatedCluster } from '../history/simulated-cluster.js';

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '30' },
    'every-hours': { type: 'string', default: '6' },
    runs: { type: 'string', default: '3' },
  },
});
const days = Number(args.days);
const everyHours = Number(args['every-hours']);
const perDay = Math.round(24 / everyHours);
const slots = days * perDay;
const stepMs = everyHours * 3_600_000;
const end = Math.floor(Date.now() / stepMs) * stepMs;
const start = end - (slots - 1) * stepMs;

const db = await BenchDatabase.create('report_exposure');
const sim = new SimulatedCluster(scenario('medium'), new Map(COLLECTED_KINDS));
const schedule = new Prng(0xc0ffee);
const editor = new PolicyEditor(new Prng(0xed17));
const built = performance.now();
try {
  for (let slot = 0; slot < slots; slot++) {
    if (slot > 0) sim.rollout(0.1);
    for (let i = 0; i < Math.round(20 / perDay); i++) sim.touched(editor.edit(sim.policies()).policy);
    if (schedule.next() < 5 / perDay - Math.floor(5 / perDay)) sim.addWorkload();
    for (let i = 0; i < Math.floor(5 / perDay); i++) sim.addWorkload();
    await storeSnapshot(db.pool, db.clusterId, sim.objects(), { takenAt: new Date(start + slot * stepMs) });
    if (slot % perDay === perDay - 1) console.error(`day ${(slot + 1) / perDay}/${days}`);
  }
  await db.pool.query('VACUUM ANALYZE');
  const buildMs = performance.now() - built;
  const { rows } = await db.pool.query<{ snapshots: string; events: string; versions: string }>(
    `SELECT (SELECT count(*) FROM snapshot) AS snapshots, (SELECT count(*) FROM exposure_event) AS events,
            (SELECT count(*) FROM object_version) AS versions`,
  );
  const { rows: cluster } = await db.pool.query<{ name: string }>('SELECT name FROM cluster WHERE id = $1', [
    db.clusterId,
  ]);
  const reports = new ReportService(db.pool, { chromiumPath: '/usr/bin/chromium', now: () => new Date(end + 60_000) });
  const principal = { tokenId: 0, name: 'bench', scopes: ['read' as const], clusterIds: null };
  const times: number[] = [];
  let summary = '';
  for (let i = 0; i < Number(args.runs); i++) {
    const t0 = performance.now();
    const report = await reports.run(principal, { type: 'exposure', cluster: cluster[0]!.name, from: '30d' });
    const json = await renderReport(report, 'json', '');
    times.push(performance.now() - t0);
    summary = `${report.tables[1]!.rows.length} workloads, ${report.evidence.snapshots.length} snapshots read, ${report.evidence.objects.length} object versions in evidence, ${(json.bytes.length / 2 ** 20).toFixed(1)} MiB of JSON`;
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      days,
      everyHours,
      snapshots: rows[0]!.snapshots,
      events: rows[0]!.events,
      objectVersions: rows[0]!.versions,
      pods: sim.podCount,
      buildMinutes: (buildMs / 60_000).toFixed(1),
      reportMs: times.map((t) => Math.round(t)),
      medianMs: Math.round(times[Math.floor(times.length / 2)]!),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      summary,
    }),
  );
} finally {
  await db.close();
}
