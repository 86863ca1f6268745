/**
 * The exposure report over 30 days of the 10k-pod (medium) history: builds the history with
 * the growth benchmark's simulated cluster and churn (rollouts of 10 % of workloads, 20 policy
 * edits and 5 new workloads a day), then times the report (compute, JSON render) several times.
 *
 *   node --import tsx bench/reports/exposure-report.ts [--days 30] [--every-hours 6] [--runs 3]
 *
 * Snapshots every `--every-hours` (the API benchmark's 5-minute history takes two hours to build);
 * each snapshot follows a rollout, so every one changes content.
 *
 *   node --import tsx bench/reports/exposure-report.ts --database reachlog_bench_history_medium_30d [--runs 3]
 *
 * times the report over a history already built (bench/api/build-history.ts: a snapshot every
 * 5 minutes), all of it, the clock pinned a minute after its last snapshot; the database is kept.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { env } from '../../config/env.js';
import { createPool } from '../../store/db/pool.js';
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
    database: { type: 'string' },
  },
});
const days = Number(args.days);
const everyHours = Number(args['every-hours']);
const perDay = Math.round(24 / everyHours);
const slots = days * perDay;
const stepMs = everyHours * 3_600_000;
const end = Math.floor(Date.now() / stepMs) * stepMs;
const start = end - (slots - 1) * stepMs;

if (args.database) {
  await timeBuiltHistory(args.database, Number(args.runs));
  process.exit(0);
}

/** The report over all of an existing history, `runs` times. */
async function timeBuiltHistory(name: string, runs: number): Promise<void> {
  const url = new URL(env().databaseUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString());
  try {
    const { rows } = await pool.query<{ name: string; snapshots: string; first: Date; last: Date; events: string }>(
      `SELECT c.name, count(s.id) AS snapshots, min(s.taken_at) AS first, max(s.taken_at) AS last,
              (SELECT count(*) FROM exposure_event) AS events
         FROM cluster c JOIN snapshot s ON s.cluster_id = c.id GROUP BY c.name`,
    );
    const h = rows[0]!;
    const days = Math.max(1, Math.round((h.last.getTime() - h.first.getTime()) / 86_400_000));
    const reports = new ReportService(pool, {
      chromiumPath: '/usr/bin/chromium',
      now: () => new Date(h.last.getTime() + 60_000),
    });
    const principal = { tokenId: 0, name: 'bench', scopes: ['read' as const], clusterIds: null };
    const times: { ms: number; cpuMs: number }[] = [];
    let summary = '';
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const report = await reports.run(principal, { type: 'exposure', cluster: h.name, from: `${days}d` });
      const json = await renderReport(report, 'json', '');
      const cpu = process.cpuUsage(cpu0);
      times.push({ ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 });
      summary = `${report.tables[1]!.rows.length} workloads, ${report.evidence.snapshots.length} snapshots read, ${report.evidence.objects.length} object versions in evidence, ${(json.bytes.length / 2 ** 20).toFixed(1)} MiB of JSON`;
    }
    console.log(
      JSON.stringify({
        database: name,
        days,
        snapshots: h.snapshots,
        events: h.events,
        reportMs: times.map((t) => Math.round(t.ms)),
        cpuMs: times.map((t) => Math.round(t.cpuMs)),
        loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        summary,
      }),
    );
  } finally {
    await pool.end();
  }
}

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
