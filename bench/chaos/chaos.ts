/**
 * The chaos bench: `node --import tsx bench/chaos/chaos.ts [--minutes 3] [--rate 200]` (after
 * `npm run build`: it runs the bundled `reachlog api` and `reachlog worker`). A private Postgres
 * and Redis on free loopback ports; paced reads at `--rate` requests/s and an admin write every
 * 2 s against the API while faults are injected on a fixed schedule. Prints requests, errors by
 * status, each fault with its recovery time, snapshots missed and rows lost (must be 0), and
 * writes the same to bench/out/chaos.md. Not a test: the numbers depend on the machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Queue } from 'bullmq';
import { parseArgs } from 'node:util';
import { ClustersRepository, type ClusterRow } from '../../store/clusters.repository.js';
import { ensureDatabase, migrateDeploy } from '../../store/db/migrate.js';
import { createPool } from '../../store/db/pool.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import { SNAPSHOT_QUEUE } from '../../store/queue/snapshot-queue.js';
import { TokensRepository } from '../../store/tokens.repository.js';
import { faultManifests } from '../../test/support/fault-manifests.js';
import { startPrivatePostgres } from '../../test/support/private-postgres.js';
import { startPrivateRedis } from '../../test/support/private-redis.js';
import { startReachlog, type ReachlogProcess } from '../../test/support/reachlog-process.js';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '3' }, rate: { type: 'string', default: '200' } },
});
const DURATION_MS = Number(values.minutes) * 60_000;
const RATE = Number(values.rate);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const postgres = await startPrivatePostgres();
const redis = await startPrivateRedis();
const databaseUrl = postgres.url('reachlog');
await ensureDatabase(databaseUrl);
await migrateDeploy(databaseUrl);
const pool = createPool(databaseUrl, () => undefined);
const queueConnection = createRedis(redis.url, { log: () => undefined });
const queue = new Queue(SNAPSHOT_QUEUE, { connection: queueConnection });
queue.on('error', () => undefined);
const big = faultManifests(10, 60);
const small = faultManifests(2, 10);
const clusterRepo = new ClustersRepository(pool);
const clusters: ClusterRow[] = [
  await clusterRepo.add('big', { kind: 'manifests', dir: big.dir }, 30),
  await clusterRepo.add('small', { kind: 'manifests', dir: small.dir }, 10),
];
const secret = (await new TokensRepository(pool).create('chaos', 'admin', null)).secret;
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redis.url,
  // Longer than a snapshot of `big` blocks the worker's event loop here (see test/faults).
  REACHLOG_JOB_LOCK_MS: '15000',
};
const api = startReachlog(['api', '--port', '0', '--host', '127.0.0.1', '--rate-limit', '1000000'], env);
const apiUrl = `http://127.0.0.1:${await api.waitFor(/listening on [^:]+:(\d+)/)}`;
let worker!: ReachlogProcess;
let workerUrl = '';
const workerOutputs: string[] = [];
async function startWorker(): Promise<void> {
  worker = startReachlog(['worker', '--status-port', '0'], env);
  workerUrl = `http://127.0.0.1:${await worker.waitFor(/on port (\d+)/)}`;
}
await startWorker();
const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
const request = (path: string, init: RequestInit = {}) =>
  fetch(`${apiUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(15_000) }).then(
    async (r) => {
      await r.arrayBuffer();
      return r.status;
    },
    () => 'dropped' as const,
  );

// Paced load: RATE requests/s in 20 ms ticks, not waiting for answers (open loop).
const statuses = new Map<string, number>();
let requests = 0;
let loading = true;
const inFlight = new Set<Promise<unknown>>();
const paths = ['/api/v1/clusters', '/api/v1/clusters/big', '/api/v1/clusters/small/snapshots?limit=5'];
const load = (async () => {
  const perTick = RATE / 50;
  let owed = 0;
  while (loading) {
    owed += perTick;
    for (; owed >= 1; owed--) {
      const p = request(paths[requests++ % paths.length]!).then((s) => {
        statuses.set(String(s), (statuses.get(String(s)) ?? 0) + 1);
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await sleep(20);
  }
})();

// Admin writes: a token every 2 s; every one answered 201 must be in the table at the end.
const acknowledgedTokens: string[] = [];
const writeStatuses = new Map<string, number>();
const writes = (async () => {
  for (let i = 0; loading; i++) {
    const name = `chaos-${i}`;
    const status = await request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name, scope: 'read' }) });
    writeStatuses.set(String(status), (writeStatuses.get(String(status)) ?? 0) + 1);
    if (status === 201) acknowledgedTokens.push(name);
    await sleep(2_000);
  }
})();

/** Everything answers: reads, an admin write that needs Redis, the worker, every schedule. */
async function healthy(): Promise<boolean> {
  const [read, ready, schedulers] = await Promise.all([
    request('/api/v1/clusters'),
    fetch(`${workerUrl}/readyz`).then(
      (r) => r.status,
      () => 0,
    ),
    queue.getJobSchedulers(0, -1).then(
      (s) => s.length,
      () => -1,
    ),
  ]);
  if (read !== 200 || ready !== 200 || schedulers !== clusters.length) return false;
  return (await request('/api/v1/clusters/small/snapshots', { method: 'POST' })) === 202;
}

async function recoveryMs(): Promise<number> {
  const from = Date.now();
  while (!(await healthy())) {
    if (Date.now() - from > 120_000) return Number.POSITIVE_INFINITY;
    await sleep(100);
  }
  return Date.now() - from;
}

interface FaultResult {
  fault: string;
  /** From the fault's end (the service back, the worker restarted) to everything answering. */
  recoveryMs: number;
}
const FAULTS: { name: string; inject(): Promise<void> }[] = [
  { name: 'Postgres restart (pg_ctl restart -m fast)', inject: () => postgres.restart() },
  { name: 'Redis restart, data lost', inject: () => redis.restart() },
  // No reconnect: only the data goes (the worker's marker key tells it; test/faults).
  { name: 'Redis emptied while connected (FLUSHALL)', inject: async () => void (await queueConnection.flushall()) },
  {
    name: 'Postgres down 5 s',
    inject: async () => {
      await postgres.stop();
      await sleep(5_000);
      await postgres.start();
    },
  },
  {
    name: 'worker kill -9, new worker after 2 s',
    inject: async () => {
      workerOutputs.push(worker.output());
      await worker.kill('SIGKILL');
      await sleep(2_000);
      await startWorker();
    },
  },
  { name: 'Redis down 5 s, data lost', inject: () => redis.restart({ downForMs: 5_000 }) },
];

const started = Date.now();
const results: FaultResult[] = [];
const gap = DURATION_MS / (FAULTS.length + 1);
for (const [i, fault] of FAULTS.entries()) {
  await sleep(Math.max(0, started + gap * (i + 1) - Date.now()));
  console.error(`${((Date.now() - started) / 1000).toFixed(0)} s: ${fault.name}`);
  await fault.inject();
  results.push({ fault: fault.name, recoveryMs: await recoveryMs() });
}
await sleep(Math.max(0, started + DURATION_MS - Date.now()));
loading = false;
await Promise.all([load, writes, ...inFlight]);
const elapsedMs = Date.now() - started;

// Snapshots: every success the workers reported must be stored; each cluster should have one per interval.
workerOutputs.push(worker.output());
const reported = workerOutputs
  .join('\n')
  .split('\n')
  .flatMap((l) => /^snapshot (\d+) of cluster \d+: (changed|unchanged)/.exec(l)?.[1] ?? []);
const stored = new Set(
  (await pool.query<{ id: number }>(`SELECT id FROM snapshot WHERE status <> 'failed'`)).rows.map((r) => r.id),
);
const snapshotsLost = reported.filter((id) => !stored.has(Number(id))).length;
const tokensStored = new Set(
  (await pool.query<{ name: string }>('SELECT name FROM api_token')).rows.map((r) => r.name),
);
const tokensLost = acknowledgedTokens.filter((n) => !tokensStored.has(n)).length;
let missed = 0;
const perCluster: string[] = [];
for (const c of clusters) {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM snapshot WHERE cluster_id = $1 AND status <> 'failed' AND taken_at >= $2`,
    [c.id, new Date(started)],
  );
  const expected = Math.floor(elapsedMs / (c.everySeconds * 1000));
  const cMissed = Math.max(0, expected - rows[0]!.n);
  missed += cMissed;
  perCluster.push(`${c.name}: ${rows[0]!.n} stored, ${expected} due (every ${c.everySeconds} s)`);
}

const by = (m: Map<string, number>) =>
  [...m.entries()]
    .sort()
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
const fmt = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'never (120 s)');
const report = [
  `# reachlog chaos bench`,
  ``,
  `${new Date().toISOString()} on ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, load average ${loadavg()[0]!.toFixed(1)} at the end; ${(elapsedMs / 1000).toFixed(0)} s at ${RATE} req/s`,
  ``,
  `| measure | value |`,
  `| --- | --- |`,
  `| read requests | ${requests} |`,
  `| reads by status | ${by(statuses)} |`,
  `| admin writes (token create) by status | ${by(writeStatuses)} |`,
  ...results.map((r) => `| recovery after: ${r.fault} | ${fmt(r.recoveryMs)} |`),
  `| snapshots | ${perCluster.join('; ')} |`,
  `| snapshots missed | ${missed} |`,
  `| rows lost (acknowledged tokens + reported snapshots missing) | ${tokensLost + snapshotsLost} |`,
  `| processes restarted by the faults | ${api.alive() ? 0 : 1} API, worker only where killed |`,
  ``,
].join('\n');
console.log(report);
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/chaos.md', report);

await api.kill('SIGKILL');
await worker.kill('SIGKILL');
await queue.close();
queueConnection.disconnect();
await pool.end();
await redis.destroy();
await postgres.destroy();
big.remove();
small.remove();
process.exitCode = tokensLost + snapshotsLost > 0 ? 1 : 0;
