import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ClustersRepository, type ClusterRow } from '../../store/clusters.repository.js';
import { ensureDatabase, migrateDeploy } from '../../store/db/migrate.js';
import { createPool } from '../../store/db/pool.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import { ALERT_QUEUE, SWEEP_SCHEDULER } from '../../store/queue/alert-queue.js';
import { SNAPSHOT_QUEUE, schedulerId } from '../../store/queue/snapshot-queue.js';
import { TokensRepository } from '../../store/tokens.repository.js';
import { runCliAsync } from '../cli/run-cli.js';
import { faultManifests, type FaultManifests } from '../support/fault-manifests.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { eventually, startReachlog, type ReachlogProcess } from '../support/reachlog-process.js';

/**
 * Faults as an operator meets them, against reachlog's own processes (the bundled bin) and a
 * Postgres and a Redis of this file's own that it restarts, stops and empties. Each fault is
 * asserted by what users see: 503s naming the service while it is down, no process restart,
 * nothing partial stored, schedules and answers back within seconds of the service returning.
 */

/**
 * Short job locks, so a killed worker's job is taken back within seconds; longer than a
 * snapshot of `big` blocks the event loop on a busy 2-core machine, or BullMQ would count the
 * job as stalled and run it twice (lock renewal during long computations is issue 9's
 * "big change" part, not this file's).
 */
const LOCK_MS = 10_000;
/** How soon after a service returns everything must answer again. */
const RECOVERY_MS = 15_000;
/** pg_advisory_xact_lock's key space for snapshot writers (snapshots.repository.ts): held exactly inside the transaction. */
const WRITER_LOCK_SPACE = 0x7265616c;

let postgres: PrivatePostgres;
let redis: PrivateRedis;
let databaseUrl: string;
let pool: pg.Pool;
let queueConnection: ReturnType<typeof createRedis>;
let queue: Queue;
let manifests: FaultManifests;
let small: FaultManifests;
let big: ClusterRow;
let tiny: ClusterRow;
let token: string;
let api: ReachlogProcess;
let apiUrl: string;
let worker: ReachlogProcess;
let workerUrl: string;

const processEnv = () => ({
  ...process.env,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redis.url,
  REACHLOG_JOB_LOCK_MS: String(LOCK_MS),
});

async function startWorkerProcess(): Promise<void> {
  worker = startReachlog(['worker', '--status-port', '0', '--concurrency', '2'], processEnv());
  workerUrl = `http://127.0.0.1:${await worker.waitFor(/on port (\d+)/)}`;
}

const authorized = { authorization: '' };
const get = (path: string) => fetch(`${apiUrl}${path}`, { headers: authorized });
const post = (path: string, body?: unknown) =>
  fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { ...authorized, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool.query(sql, params)).rows as T[];
}

/** Resolves once a snapshot of `clusterId` is inside its store transaction (holds the writer lock). */
async function insideSnapshotTransaction(clusterId: number): Promise<void> {
  const probe = new pg.Client({ connectionString: databaseUrl });
  await probe.connect();
  try {
    const until = Date.now() + 60_000;
    for (;;) {
      const { rowCount } = await probe.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND granted`,
        [WRITER_LOCK_SPACE, clusterId],
      );
      if (rowCount) return;
      if (Date.now() > until) throw new Error('no snapshot transaction began within 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await probe.end();
  }
}

/** A snapshot row is partial if it was stored without its counts (finish() runs last in the transaction). */
async function partialSnapshots(): Promise<unknown[]> {
  return rows(`SELECT id, status FROM snapshot WHERE status <> 'failed' AND (counts IS NULL OR duration_ms IS NULL)`);
}

/** The rows a job stored: job ids name one job, even across Redis losing its data. */
async function jobRows(jobId: string): Promise<{ status: string; error: string | null }[]> {
  return rows('SELECT status, error FROM snapshot WHERE job_id = $1 ORDER BY id', [jobId]);
}

async function triggerSnapshot(cluster: string): Promise<string> {
  const res = await post(`/api/v1/clusters/${cluster}/snapshots`);
  expect(res.status).toBe(202);
  const { jobId } = (await res.json()) as { jobId: string };
  return jobId;
}

const schedulerKeys = async () =>
  (await queue.getJobSchedulers(0, -1))
    .map((s) => s.key)
    .sort()
    .join();

/** Lines of a process's output that mention `word`, and whether any is a stack frame. */
function linesAbout(p: ReachlogProcess, word: RegExp): string[] {
  return p
    .output()
    .split('\n')
    .filter((l) => word.test(l));
}

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  databaseUrl = postgres.url('reachlog');
  await ensureDatabase(databaseUrl);
  await migrateDeploy(databaseUrl);
  pool = createPool(databaseUrl, () => undefined);
  queueConnection = createRedis(redis.url, { log: () => undefined });
  queue = new Queue(SNAPSHOT_QUEUE, { connection: queueConnection });
  queue.on('error', () => undefined);
  manifests = faultManifests(10, 60);
  small = faultManifests(1, 3);
  const clusters = new ClustersRepository(pool);
  big = await clusters.add('big', { kind: 'manifests', dir: manifests.dir }, 3600);
  tiny = await clusters.add('tiny', { kind: 'manifests', dir: small.dir }, 10);
  token = (await new TokensRepository(pool).create('faults', 'admin', null)).secret;
  authorized.authorization = `Bearer ${token}`;
  api = startReachlog(['api', '--port', '0', '--host', '127.0.0.1'], processEnv());
  apiUrl = `http://127.0.0.1:${await api.waitFor(/listening on [^:]+:(\d+)/)}`;
  await startWorkerProcess();
  // The worker schedules both from the clusters table at start; the first runs are immediate.
  await eventually(
    'the first snapshots of both clusters',
    async () => {
      const done = await rows(`SELECT DISTINCT cluster_id FROM snapshot WHERE status <> 'failed'`);
      return done.length === 2;
    },
    90_000,
  );
}, 240_000);

afterAll(async () => {
  await api?.kill('SIGKILL');
  await worker?.kill('SIGKILL');
  await queue?.close();
  queueConnection?.disconnect();
  await pool?.end();
  await redis?.destroy();
  await postgres?.destroy();
  manifests?.remove();
  small?.remove();
});

describe.sequential('faults reachlog survives by itself', () => {
  test('Postgres down: requests get 503 problem+json naming postgres, /readyz says so, both processes serve again when it returns', async () => {
    expect((await get('/api/v1/clusters')).status).toBe(200);
    await postgres.stop();
    try {
      const res = await get('/api/v1/clusters');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({ status: 503, code: 'UNAVAILABLE', service: 'postgres' });

      const ready = await fetch(`${apiUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { detail: string }).detail).toMatch(/^postgres: /);
      const workerReady = await fetch(`${workerUrl}/readyz`);
      expect(workerReady.status).toBe(503);
      expect(((await workerReady.json()) as { detail: string }).detail).toMatch(/postgres: /);
      // Liveness never asks a dependency: nothing restarts the processes for an outage.
      expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
    } finally {
      await postgres.start();
    }
    const back = Date.now();
    await eventually(
      'the API to answer 200 again',
      async () => (await get('/api/v1/clusters')).status === 200,
      RECOVERY_MS,
    );
    await eventually('the worker to be ready again', async () => (await fetch(`${workerUrl}/readyz`)).ok, RECOVERY_MS);
    expect(Date.now() - back).toBeLessThan(RECOVERY_MS);
    expect(api.alive() && worker.alive()).toBe(true);
    // Logged once per outage, redacted, without a stack per request.
    expect(api.output()).not.toMatch(/\n\s+at /);
    expect(linesAbout(api, /postgres unavailable/).length).toBeLessThanOrEqual(2);
  });

  test('Postgres restarts (pg_ctl restart -m fast) under request load: every answer is 200 or 503, none 500 or dropped', async () => {
    const statuses: (number | string)[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const batch = Array.from({ length: 8 }, () =>
          get('/api/v1/clusters/big').then(
            (r) => r.status,
            (e: Error) => `dropped: ${e.message}`,
          ),
        );
        statuses.push(...(await Promise.all(batch)));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    await postgres.restart();
    const back = Date.now();
    await eventually('200 again after the restart', () => statuses.slice(-8).every((s) => s === 200), RECOVERY_MS);
    const recoveredMs = Date.now() - back;
    running = false;
    await load;
    expect(new Set(statuses.filter((s) => s !== 200))).toEqual(
      new Set(statuses.filter((s) => s === 503).length ? [503] : []),
    );
    expect(recoveredMs).toBeLessThan(RECOVERY_MS);
    expect(api.alive() && worker.alive()).toBe(true);
  });

  test('Postgres restarts inside a snapshot transaction: it rolls back, the job is retried, one whole snapshot is stored', async () => {
    manifests.write(1);
    const jobId = await triggerSnapshot('big');
    await insideSnapshotTransaction(big.id);
    await postgres.restart();
    // The rolled-back attempt left nothing behind: no row for the job yet, nothing partial.
    expect(await jobRows(jobId)).toEqual([]);
    expect(await partialSnapshots()).toEqual([]);
    await eventually('the retried job to store its snapshot', async () => (await jobRows(jobId)).length > 0, 90_000);
    expect(await jobRows(jobId)).toEqual([{ status: 'changed', error: null }]);
    expect(await partialSnapshots()).toEqual([]);
    expect(worker.alive()).toBe(true);
    expect(worker.output()).toMatch(/snapshot of cluster big \(id \d+\) failed \(attempt 1\)/);
  });

  test('the worker killed (-9) inside a snapshot transaction: nothing partial; the job is taken back and stored once', async () => {
    manifests.write(2);
    const jobId = await triggerSnapshot('big');
    await insideSnapshotTransaction(big.id);
    await worker.kill('SIGKILL');
    // Postgres rolls the dead session's transaction back as its socket closes.
    await eventually('the dead session to be gone', async () => {
      const held = await rows(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2`, [
        WRITER_LOCK_SPACE,
        big.id,
      ]);
      return held.length === 0;
    });
    expect(await jobRows(jobId)).toEqual([]);
    expect(await partialSnapshots()).toEqual([]);
    await startWorkerProcess();
    await eventually(
      'the taken-back job to store its snapshot',
      async () => (await jobRows(jobId)).some((r) => r.status === 'changed'),
      90_000,
    );
    // The stalled attempt is recorded (a gap never goes unnoticed), then stored once.
    expect(await jobRows(jobId)).toEqual([
      { status: 'failed', error: expect.stringMatching(/stalled/) },
      { status: 'changed', error: null },
    ]);
    expect(await partialSnapshots()).toEqual([]);
  });

  test('Redis down: admin writes answer 503 at once and write nothing; reads go on; errors are logged once, redacted', async () => {
    const clustersBefore = await rows('SELECT id FROM cluster');
    await redis.stop();
    const started = Date.now();
    const register = await post('/api/v1/clusters', {
      name: 'late',
      // Manifest directories may not be registered through the API: a kube source, valid as input.
      source: { kind: 'kube', context: 'elsewhere' },
      every: '1m',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(register.status).toBe(503);
    expect(await register.json()).toMatchObject({ code: 'UNAVAILABLE', service: 'redis' });
    expect(await rows('SELECT id FROM cluster')).toEqual(clustersBefore);
    const trigger = await post('/api/v1/clusters/tiny/snapshots');
    expect(trigger.status).toBe(503);
    // Queries need Postgres only.
    expect((await get('/api/v1/clusters/tiny')).status).toBe(200);
    const ready = await fetch(`${apiUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { detail: string }).detail).toMatch(/^redis: /);
    // ioredis retries every few hundred ms: still one line per connection for the whole outage
    // (the API: its connection's, and the first refused request's).
    await new Promise((r) => setTimeout(r, 3_000));
    expect(linesAbout(api, /^redis/).length).toBeLessThanOrEqual(2);
    expect(linesAbout(worker, /^redis/).length).toBeLessThanOrEqual(2);
    expect(api.output() + worker.output()).not.toMatch(/Unhandled error event|\n\s+at /);
  });

  test('Redis returns empty (data lost): overdue is flagged while schedules are missing; the worker restores them and snapshots again', async () => {
    // Redis is still down from the test above. Stand in for the time passing: tiny's last success was long ago.
    await pool.query(`UPDATE snapshot SET taken_at = taken_at - interval '1 hour' WHERE cluster_id = $1`, [tiny.id]);
    const tinyNow = async () => (await (await get('/api/v1/clusters/tiny')).json()) as { overdue: boolean };
    expect(await tinyNow()).toMatchObject({ overdue: true });
    const workerReady = (await (await fetch(`${workerUrl}/readyz`)).json()) as { overdue: { cluster: string }[] };
    expect(workerReady.overdue.map((o) => o.cluster)).toEqual(['tiny']);

    await redis.start();
    const back = Date.now();
    await eventually(
      'both schedulers restored from the clusters table',
      async () => (await schedulerKeys()) === [schedulerId(big.id), schedulerId(tiny.id)].sort().join(),
      RECOVERY_MS,
    );
    const restoredMs = Date.now() - back;
    await eventually('tiny to be snapshotted and no longer overdue', async () => !(await tinyNow()).overdue, 30_000);
    expect(restoredMs).toBeLessThan(RECOVERY_MS);
    expect(worker.output()).toMatch(/schedules restored from the clusters table: big, tiny/);
    // Admin writes work again without restarting anything, once the API's connection is back
    // (ioredis retries every 2 s at most: the worker may have restored everything before).
    await eventually(
      'admin writes accepted again',
      async () => (await post('/api/v1/clusters/tiny/snapshots')).status === 202,
      RECOVERY_MS,
    );
    expect(api.alive() && worker.alive()).toBe(true);
  });

  test('Redis emptied while connected (FLUSHALL): the worker notices within seconds, restores the schedules and snapshots again, without a restart; job ids do not repeat', async () => {
    const before = await triggerSnapshot('tiny');
    await eventually('the asked-for snapshot', async () => (await jobRows(before)).length > 0, 30_000);
    const logged = worker.output().length;
    // No reconnect: the connections stay up, only the data goes (BullMQ's job counter with it).
    await queueConnection.flushall();
    const flushed = Date.now();
    expect(await schedulerKeys()).toBe('');
    await eventually(
      'both schedulers restored without a reconnect',
      async () => (await schedulerKeys()) === [schedulerId(big.id), schedulerId(tiny.id)].sort().join(),
      RECOVERY_MS,
    );
    expect(Date.now() - flushed).toBeLessThan(RECOVERY_MS);
    // The alert sweep's scheduler is back too.
    const alerts = new Queue(ALERT_QUEUE, { connection: queueConnection });
    alerts.on('error', () => undefined);
    expect(await alerts.getJobScheduler(SWEEP_SCHEDULER)).toBeTruthy();
    await alerts.close();
    // The next snapshot is the restored scheduler's: its job is due after the flush.
    await eventually(
      'a snapshot of tiny by its restored scheduler',
      async () => {
        const done = await rows<{ job_id: string }>(
          `SELECT job_id FROM snapshot WHERE cluster_id = $1 AND status <> 'failed' AND job_id LIKE $2`,
          [tiny.id, `repeat:${schedulerId(tiny.id)}:%`],
        );
        return done.some((r) => Number(r.job_id.split(':')[2]) >= flushed);
      },
      30_000,
    );
    const after = await triggerSnapshot('tiny');
    expect(after).not.toBe(before);
    await eventually('the snapshot asked for after the flush', async () => (await jobRows(after)).length > 0, 30_000);
    // Every row naming either job is that job's own: one attempt each here.
    expect(await jobRows(before)).toHaveLength(1);
    expect(await jobRows(after)).toHaveLength(1);
    // `snapshot --wait` waits on its own job and names it as the rows do.
    const waited = await runCliAsync(['snapshot', 'tiny', '--wait'], processEnv());
    expect(waited.status).toBe(0);
    // It prints the stored row, as `cluster show` lists it; that row names a job id of its own.
    const snapshotId = Number(/^#(\d+)\t/m.exec(waited.stdout)?.[1]);
    const [waitedRow] = await rows<{ job_id: string }>('SELECT job_id FROM snapshot WHERE id = $1', [snapshotId]);
    expect(waitedRow?.job_id).toMatch(new RegExp(`^asked-cluster-${tiny.id}-`));
    expect(waitedRow?.job_id).not.toBe(after);
    expect(await jobRows(waitedRow!.job_id)).toHaveLength(1);
    const since = worker.output().slice(logged);
    expect(since.match(/redis lost its data/g)).toHaveLength(1);
    expect(since).toMatch(/schedules restored from the clusters table: big, tiny/);
    expect(worker.alive() && api.alive()).toBe(true);
    // Its waits add up past the default minute on a loaded machine; each has its own bound.
  }, 150_000);

  test('a permanent error (the manifests directory is gone) is one failed row naming it, not five', async () => {
    small.remove();
    const jobId = await triggerSnapshot('tiny');
    await eventually('the failure to be recorded', async () => (await jobRows(jobId)).length > 0, 30_000);
    // Retries would come after 5 s of backoff: wait them out, then count.
    await new Promise((r) => setTimeout(r, 6_000));
    const failed = await jobRows(jobId);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('no such file or directory') });
  });
});
