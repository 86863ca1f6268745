import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRedis } from '../../store/queue/redis-connection.js';
import { startWorker, type RunningWorker } from '../../worker/queue/run-worker.js';
import {
  createSnapshotQueue,
  createSnapshotQueueEvents,
  enqueueSnapshot,
  type SnapshotJobData,
  type SnapshotJobResult,
} from '../../store/queue/snapshot-queue.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createPool } from '../../store/db/pool.js';
import { FakeKubeApi } from '../support/fake-kube-api/fake-kube-api.js';
import { writeKubeconfig, type KubeconfigFile } from '../support/fake-kube-api/kubeconfig-file.js';
import { REPO, runCliAsync, type CliResult } from '../cli/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { claimTestRedis, type TestRedis } from '../support/test-redis.js';
import { backupRun, INITIAL_SHOP, SHOP_OBJECT_KEYS, serveShop, type ShopState } from './shop-cluster.js';
import { saveEnv } from '../support/saved-env.js';

/** The token of a context the fake refuses (401); it must never reach an error or a log. */
const STALE_TOKEN = 'stale-token-5f3c9a7e1d2b4c6a';
/** Short job locks so that a killed worker's job is retried within seconds, not 30 s. */
const LOCK_MS = 2_000;

let db: TestDatabase;
let redis: TestRedis;
let fake: FakeKubeApi;
let kubeconfig: KubeconfigFile;
let pool: pg.Pool;
let clusters: ClustersRepository;
let queueConnection: Redis;
let eventsConnection: Redis;
let queue: Queue<SnapshotJobData, SnapshotJobResult>;
let events: QueueEvents;
let worker: RunningWorker | undefined;
const workerLog: string[] = [];
const children = new Set<ChildProcess>();
const savedEnv = saveEnv(['DATABASE_URL', 'REDIS_URL', 'KUBECONFIG']);
let shop: ShopState = INITIAL_SHOP;

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool.query<T>(sql, params)).rows;
}

async function countOf(table: string, clusterId: number): Promise<number> {
  const [row] = await query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE cluster_id = $1`, [clusterId]);
  return Number(row!.n);
}

async function historyCounts(clusterId: number) {
  return {
    objectVersions: await countOf('object_version', clusterId),
    reachVersions: await countOf('reach_version', clusterId),
    events: await countOf('exposure_event', clusterId),
  };
}

/** `Kind key` of each current object version, sorted. */
async function currentObjects(clusterId: number): Promise<string[]> {
  const rows = await query<{ item: string }>(
    `SELECT kind || ' ' || key AS item FROM object_version WHERE cluster_id = $1 AND valid_to IS NULL ORDER BY 1`,
    [clusterId],
  );
  return rows.map((r) => r.item);
}

/**
 * Registers a cluster without a job scheduler (paused), so that the only snapshots are the
 * ones a test asks for: a scheduler with `every` queues its first job at once.
 */
async function register(name: string, context: string): Promise<number> {
  const c = await clusters.add(name, { kind: 'kube', context }, 300);
  await clusters.setPaused(c.id, true);
  return c.id;
}

async function snapshot(clusterId: number): Promise<SnapshotJobResult & { jobId: string }> {
  const job = await enqueueSnapshot(queue, clusterId);
  // The worker's snapshot thread loads the sources through tsx: seconds on a busy machine.
  const result = await job.waitUntilFinished(events, 60_000);
  return { ...result, jobId: job.id! };
}

async function waitFor(
  what: string | (() => string),
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(50);
  }
}

function serviceEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: db.url, REDIS_URL: redis.url, KUBECONFIG: kubeconfig.path };
}

/** The real bin in a child process, against this file's database and Redis. */
const reachlog = (...args: string[]): Promise<CliResult> => runCliAsync(args, serviceEnv());

function startChildWorker(): { child: ChildProcess; output: () => string } {
  // Any free status port: a worker someone runs by hand may hold the default one.
  const child = spawn(process.execPath, ['bin/reachlog.js', 'worker', '--status-port', '0'], {
    cwd: REPO,
    env: { ...serviceEnv(), REACHLOG_JOB_LOCK_MS: String(LOCK_MS) },
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function startInProcessWorker(): Promise<void> {
  worker = await startWorker({ lockDurationMs: LOCK_MS, log: (line) => workerLog.push(line) });
}

async function stopInProcessWorker(): Promise<void> {
  await worker?.close();
  worker = undefined;
}

beforeAll(async () => {
  [db, redis, fake] = await Promise.all([createTestDatabase(), claimTestRedis(), FakeKubeApi.start()]);
  kubeconfig = writeKubeconfig(fake, [{ name: 'shop-admin' }, { name: 'stale', token: STALE_TOKEN }]);
  // startWorker, createPrisma and the collector read these, as in production.
  Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL: redis.url, KUBECONFIG: kubeconfig.path });
  pool = createPool(db.url);
  clusters = new ClustersRepository(pool);
  queueConnection = createRedis(redis.url);
  eventsConnection = createRedis(redis.url);
  queue = createSnapshotQueue(queueConnection);
  events = await createSnapshotQueueEvents(eventsConnection);
  await events.waitUntilReady();
  serveShop(fake, shop);
  await startInProcessWorker();
}, 60_000);

afterAll(async () => {
  try {
    for (const child of children) child.kill('SIGKILL');
    await stopInProcessWorker();
    await events?.close();
    await queue?.close();
    queueConnection?.disconnect();
    eventsConnection?.disconnect();
    await pool?.end();
    await fake?.close();
    kubeconfig?.remove();
  } finally {
    savedEnv.restore();
    await redis?.release();
    await db?.drop();
  }
});

describe.sequential('snapshot pipeline: BullMQ worker, Kubernetes API, Postgres', () => {
  let prod: number;

  test('a: first snapshot stores namespaces, workloads, services, policies, the reach result and current pods', async () => {
    prod = await register('prod', 'shop-admin');

    const result = await snapshot(prod);

    expect(result.status).toBe('changed');
    expect(result.problems).toEqual([]);
    const [row] = await query<{ status: string; job_id: string }>('SELECT status, job_id FROM snapshot WHERE id = $1', [
      result.snapshotId,
    ]);
    expect(row).toEqual({ status: 'changed', job_id: result.jobId });
    expect(await currentObjects(prod)).toEqual(SHOP_OBJECT_KEYS);
    const reach = await query<{ kind: string }>(
      'SELECT DISTINCT kind FROM reach_version WHERE cluster_id = $1 AND valid_from = $2 ORDER BY 1',
      [prod, result.snapshotId],
    );
    expect(reach.map((r) => r.kind)).toEqual(['node', 'peer', 'workload']);
    const workloads = await query<{ key: string }>(
      `SELECT key FROM reach_version WHERE cluster_id = $1 AND kind = 'workload' ORDER BY key`,
      [prod],
    );
    expect(workloads.map((w) => w.key)).toEqual([
      'db/postgres[StatefulSet]',
      'shop/api[Deployment]',
      'shop/web[Deployment]',
    ]);
    const pods = await query('SELECT namespace, name, workload_id, ips, snapshot_id FROM current_pod ORDER BY name');
    expect(pods).toEqual([
      {
        namespace: 'shop',
        name: 'api-7c8d9e6f4-klmno',
        workload_id: 'shop/api[Deployment]',
        ips: ['10.0.1.20'],
        snapshot_id: result.snapshotId,
      },
      {
        namespace: 'db',
        name: 'postgres-0',
        workload_id: 'db/postgres[StatefulSet]',
        ips: ['10.0.2.10'],
        snapshot_id: result.snapshotId,
      },
      {
        namespace: 'shop',
        name: 'web-6b7f9c8d5-abcde',
        workload_id: 'shop/web[Deployment]',
        ips: ['10.0.1.10'],
        snapshot_id: result.snapshotId,
      },
      {
        namespace: 'shop',
        name: 'web-6b7f9c8d5-fghij',
        workload_id: 'shop/web[Deployment]',
        ips: ['10.0.1.11'],
        snapshot_id: result.snapshotId,
      },
    ]);
    // The first snapshot is the baseline: nothing changed before it.
    expect(await countOf('exposure_event', prod)).toBe(0);
  });

  test('b: an edited policy gets one new version, closes the old one, and explains the new connection', async () => {
    const before = await historyCounts(prod);
    shop = { ...shop, postgresAdmitsWeb: true };
    serveShop(fake, shop);

    const result = await snapshot(prod);

    expect(result.status).toBe('changed');
    const fresh = await query<{ kind: string; key: string }>(
      'SELECT kind, key FROM object_version WHERE cluster_id = $1 AND valid_from = $2',
      [prod, result.snapshotId],
    );
    expect(fresh).toEqual([{ kind: 'NetworkPolicy', key: 'db/postgres-from-api' }]);
    const versions = await query<{ valid_from: number; valid_to: number | null }>(
      `SELECT valid_from, valid_to FROM object_version
        WHERE cluster_id = $1 AND kind = 'NetworkPolicy' AND key = 'db/postgres-from-api' ORDER BY id`,
      [prod],
    );
    expect(versions).toHaveLength(2);
    expect(versions[0]!.valid_to).toBe(result.snapshotId);
    expect(versions[1]).toEqual({ valid_from: result.snapshotId, valid_to: null });
    expect((await historyCounts(prod)).objectVersions).toBe(before.objectVersions + 1);

    const changes = await query<{ change: string; src: string; dst: string; causes: unknown[] }>(
      'SELECT change, src, dst, causes FROM exposure_event WHERE snapshot_id = $1 ORDER BY id',
      [result.snapshotId],
    );
    expect(changes).toEqual([
      {
        change: 'added',
        src: 'shop/web[Deployment]',
        dst: 'db/postgres[StatefulSet]',
        causes: [{ kind: 'NetworkPolicy', key: 'db/postgres-from-api', hash: expect.any(String) }],
      },
    ]);
    expect(result.counts).toMatchObject({ objectVersions: 1, events: 1 });
  });

  test('c: an unchanged cluster adds a snapshot row and nothing else', async () => {
    const before = await historyCounts(prod);
    const snapshotsBefore = await countOf('snapshot', prod);

    const result = await snapshot(prod);

    expect(result.status).toBe('unchanged');
    const [row] = await query<{ status: string }>('SELECT status FROM snapshot WHERE id = $1', [result.snapshotId]);
    expect(row!.status).toBe('unchanged');
    expect(await countOf('snapshot', prod)).toBe(snapshotsBefore + 1);
    expect(await historyCounts(prod)).toEqual(before);
  });

  test('d: a rollout that only replaces pods writes no versions but rewrites current pods', async () => {
    const before = await historyCounts(prod);
    shop = { ...shop, webHash: '5d4c3b2a1', webIps: ['10.0.1.30', '10.0.1.31'] };
    serveShop(fake, shop);

    const result = await snapshot(prod);

    expect(result.status).toBe('unchanged');
    expect(await historyCounts(prod)).toEqual(before);
    const web = await query(
      `SELECT name, workload_id, ips, snapshot_id FROM current_pod WHERE cluster_id = $1 AND name LIKE 'web-%' ORDER BY name`,
      [prod],
    );
    expect(web).toEqual([
      {
        name: 'web-5d4c3b2a1-abcde',
        workload_id: 'shop/web[Deployment]',
        ips: ['10.0.1.30'],
        snapshot_id: result.snapshotId,
      },
      {
        name: 'web-5d4c3b2a1-fghij',
        workload_id: 'shop/web[Deployment]',
        ips: ['10.0.1.31'],
        snapshot_id: result.snapshotId,
      },
    ]);
    expect(await countOf('current_pod', prod)).toBe(4);
  });

  test('e: a worker killed while collecting leaves no partial snapshot; the stall is recorded; the retried job stores exactly one snapshot', async () => {
    await stopInProcessWorker();
    const snapshotsBefore = await countOf('snapshot', prod);
    // Something to store, so that the retried job's snapshot is `changed`.
    shop = { ...shop, postgresAdmitsWeb: false };
    serveShop(fake, shop);
    fake.inject('pods', { delay: { ms: 15_000, times: 1 } });
    const podRequests = fake.requestsFor('pods').length;

    const job = await enqueueSnapshot(queue, prod);
    const first = startChildWorker();
    // The CLI takes 4-8 s to start on a busy machine: allow it more than the usual wait.
    await waitFor(
      () => `the child worker to list pods (its output: ${first.output()})`,
      () => fake.requestsFor('pods').length > podRequests,
      60_000,
    );
    // Busy with a job, the worker's status server says it is live and its dependencies answer.
    await waitFor(
      () => `the child worker to say its status port (its output: ${first.output()})`,
      async () => /on port \d+/.test(first.output()),
    );
    const statusPort = /on port (\d+)/.exec(first.output())![1];
    expect((await fetch(`http://127.0.0.1:${statusPort}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${statusPort}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' }, overdue: [] });

    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    expect(await job.getState()).toBe('active');
    expect(await query('SELECT id FROM snapshot WHERE job_id = $1', [job.id])).toEqual([]);
    expect(await countOf('snapshot', prod)).toBe(snapshotsBefore);

    await startInProcessWorker();
    const result = await job.waitUntilFinished(events, 30_000);

    expect(result.status).toBe('changed');
    // Taken back from the dead worker as stalled (not failed), then started once more.
    expect(await queue.getJob(job.id!)).toMatchObject({ attemptsStarted: 2, stalledCounter: 1 });
    // The dead worker's attempt is recorded as failed, naming the stall (the gap shows in history).
    const rows = await query<{ status: string; error: string | null }>(
      'SELECT status, error FROM snapshot WHERE job_id = $1 ORDER BY status',
      [job.id],
    );
    expect(rows).toEqual([
      { status: 'changed', error: null },
      { status: 'failed', error: expect.stringMatching(/^snapshot job \S+ stalled: the worker running it stopped/) },
    ]);
    expect(await countOf('snapshot', prod)).toBe(snapshotsBefore + 2);
    for (const table of ['object_version', 'reach_version']) {
      const duplicates = await query(
        `SELECT kind, key, count(*) FROM ${table} WHERE valid_to IS NULL GROUP BY cluster_id, kind, key HAVING count(*) > 1`,
      );
      expect(duplicates, table).toEqual([]);
    }
    expect(await currentObjects(prod)).toEqual(SHOP_OBJECT_KEYS);
    // The policy is back as it was in a: a third version, current.
    const policyVersions = await query<{ valid_to: number | null }>(
      `SELECT valid_to FROM object_version WHERE cluster_id = $1 AND key = 'db/postgres-from-api' ORDER BY id`,
      [prod],
    );
    expect(policyVersions.map((v) => v.valid_to)).toEqual([expect.any(Number), result.snapshotId, null]);
  }, 150_000);

  test('f: an API server that answers 500 three times, then recovers: the snapshot completes with every object', async () => {
    const flaky = await register('flaky', 'shop-admin');
    const podRequests = fake.requestsFor('pods').length;
    fake.inject('pods', { fail: { status: 500, times: 3 } });

    const result = await snapshot(flaky);

    expect(result.status).toBe('changed');
    expect(
      fake
        .requestsFor('pods')
        .slice(podRequests)
        .map((r) => r.status),
    ).toEqual([500, 500, 500, 200]);
    expect(await currentObjects(flaky)).toEqual(SHOP_OBJECT_KEYS);
    expect(await countOf('current_pod', flaky)).toBe(4);
    expect(await query('SELECT status FROM snapshot WHERE cluster_id = $1', [flaky])).toEqual([{ status: 'changed' }]);
  });

  test('g: malformed objects are named in problems and left out; the rest is stored', async () => {
    const lint = await register('lint', 'shop-admin');
    serveShop(fake, {
      ...shop,
      extra: {
        networkpolicies: [
          {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            metadata: { name: 'bad-cidr', namespace: 'db' },
            spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
          },
        ],
        pods: [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'broken', namespace: 'shop', labels: { app: 'broken', version: 2 } },
            spec: { containers: [{ name: 'main', image: 'registry.example/app:1.0' }] },
            status: { phase: 'Running', podIP: '10.0.1.99' },
          },
        ],
      },
    });

    try {
      const result = await snapshot(lint);

      expect(result.status).toBe('changed');
      const [row] = await query<{ status: string; problems: string[] }>(
        'SELECT status, problems FROM snapshot WHERE id = $1',
        [result.snapshotId],
      );
      expect(row!.status).toBe('changed');
      expect(row!.problems).toHaveLength(2);
      expect(row!.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^kube:lint\/networkpolicies.*NetworkPolicy db\/bad-cidr spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr/,
          ),
          expect.stringMatching(
            /^kube:lint\/pods.*Pod shop\/broken metadata\.labels\.version: label values must be strings/,
          ),
        ]),
      );
      expect(await currentObjects(lint)).toEqual(SHOP_OBJECT_KEYS);
      expect(await countOf('current_pod', lint)).toBe(4);
      expect(await query(`SELECT id FROM object_version WHERE key = 'db/bad-cidr'`)).toEqual([]);
    } finally {
      serveShop(fake, shop);
    }
  });

  test('g2: each CronJob run (a new Job and pod) is the same workload: no new versions', async () => {
    const cron = await register('cron', 'shop-admin');
    try {
      serveShop(fake, { ...shop, extra: backupRun('28900000', '10.0.1.40') });
      const first = await snapshot(cron);
      expect(first.status).toBe('changed');
      expect(await currentObjects(cron)).toContain('Workload shop/backup[CronJob]');
      const before = await historyCounts(cron);

      serveShop(fake, { ...shop, extra: backupRun('28900060', '10.0.1.41') });
      const next = await snapshot(cron);

      expect(next.status).toBe('unchanged');
      expect(await historyCounts(cron)).toEqual(before);
      expect(
        await query(`SELECT name, workload_id FROM current_pod WHERE cluster_id = $1 AND name LIKE 'backup-%'`, [cron]),
      ).toEqual([{ name: 'backup-28900060-x7k2p', workload_id: 'shop/backup[CronJob]' }]);
    } finally {
      serveShop(fake, shop);
    }
  });

  test('h: a 401 fails the job at once, naming the cluster and status, with a failed snapshot row and no token', async () => {
    const locked = await register('locked', 'stale');
    const job = await enqueueSnapshot(queue, locked);

    const failure = await job.waitUntilFinished(events, 20_000).then(
      () => undefined,
      (e: Error) => e.message,
    );

    expect(failure).toMatch(/kube:locked\/discovery: HTTP 401 Unauthorized/);
    expect(failure).not.toContain(STALE_TOKEN);
    // The token was really sent (and refused): the test would prove nothing otherwise.
    expect(fake.requestsFor('discovery').at(-1)).toMatchObject({ authorization: `Bearer ${STALE_TOKEN}`, status: 401 });
    const failed = await queue.getJob(job.id!);
    expect(await failed!.getState()).toBe('failed');
    // Credentials the server refused stay refused: retrying the job would only repeat the 401.
    expect(failed!.attemptsMade).toBe(1);
    const rows = await query<{ status: string; error: string }>(
      'SELECT status, error FROM snapshot WHERE cluster_id = $1',
      [locked],
    );
    expect(rows).toEqual([{ status: 'failed', error: failure }]);
    expect(workerLog.join('\n')).not.toContain(STALE_TOKEN);
    expect(await countOf('object_version', locked)).toBe(0);
  });

  test('i: reachlog cluster add/list/show/pause/resume/remove [--purge] through the bin', async () => {
    const schedulerOf = async (name: string, removed = false) => {
      const [row] = await query<{ id: number }>(
        `SELECT id FROM cluster WHERE name = $1 AND (removed_at IS NOT NULL) = $2 ORDER BY id DESC LIMIT 1`,
        [name, removed],
      );
      return { id: row!.id, scheduler: await queue.getJobScheduler(`cluster-${row!.id}`) };
    };
    const snapshotsOf = (id: number) => countOf('snapshot', id);

    const [added, badEvery, tooOften] = await Promise.all([
      reachlog('cluster', 'add', 'staging', '--context', 'shop-admin', '--every', '5m'),
      reachlog('cluster', 'add', 'typo', '--context', 'shop-admin', '--every', 'soon'),
      reachlog('cluster', 'add', 'eager', '--context', 'shop-admin', '--every', '1s'),
    ]);
    expect(added).toMatchObject({
      status: 0,
      stdout: 'registered staging\tkubeconfig context shop-admin\tevery 5m\tactive\n',
    });
    expect(badEvery.status).toBe(2);
    expect(badEvery.stderr).toBe('reachlog: --every "soon": expected a duration of at least 10s, e.g. 5m or 1h\n');
    expect(tooOften.status).toBe(2);
    expect(tooOften.stderr).toContain('--every "1s"');
    const staging = await schedulerOf('staging');
    expect(staging.scheduler).toMatchObject({ every: 300_000 });
    // The scheduler's first job runs at once: the worker snapshots the new cluster.
    await waitFor('the scheduled first snapshot of staging', async () => (await snapshotsOf(staging.id)) > 0);

    const [list, show] = await Promise.all([reachlog('cluster', 'list'), reachlog('cluster', 'show', 'staging')]);
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n')).toEqual([
      'cron\tkubeconfig context shop-admin\tevery 5m\tpaused',
      'flaky\tkubeconfig context shop-admin\tevery 5m\tpaused',
      'lint\tkubeconfig context shop-admin\tevery 5m\tpaused',
      'locked\tkubeconfig context stale\tevery 5m\tpaused',
      'prod\tkubeconfig context shop-admin\tevery 5m\tpaused',
      'staging\tkubeconfig context shop-admin\tevery 5m\tactive',
      '',
    ]);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(
      /^staging\tkubeconfig context shop-admin\tevery 5m\tactive\nrecent snapshots:\n {2}#\d+\t\S+\tchanged\t\d+ ms\t\{.*"workloads":3/,
    );

    expect(await reachlog('cluster', 'pause', 'staging')).toMatchObject({ status: 0, stdout: 'staging: paused\n' });
    expect((await schedulerOf('staging')).scheduler).toBeUndefined();
    expect(await reachlog('cluster', 'resume', 'staging')).toMatchObject({ status: 0, stdout: 'staging: resumed\n' });
    expect((await schedulerOf('staging')).scheduler).toMatchObject({ every: 300_000 });
    // Resuming queues a job at once too; let it finish before removing the cluster under it.
    await waitFor('the resumed snapshot of staging', async () => (await snapshotsOf(staging.id)) > 1);

    // `snapshot --wait` prints the snapshot as it is stored: the line `cluster show` lists for it.
    const now = await reachlog('snapshot', 'staging', '--wait');
    expect(now.status).toBe(0);
    const [queued, stored] = now.stdout.split('\n');
    expect(queued).toBe('queued a snapshot of staging');
    expect(stored).toMatch(/^#\d+\t\S+\t(changed|unchanged)\t\d+ ms\t\{/);
    expect((await reachlog('cluster', 'show', 'staging')).stdout.split('\n')[2]).toBe(`  ${stored}`);

    const history = await snapshotsOf(staging.id);
    expect(await reachlog('cluster', 'remove', 'staging')).toMatchObject({
      status: 0,
      stdout: 'staging: removed (history kept)\n',
    });
    expect(await queue.getJobScheduler(`cluster-${staging.id}`)).toBeUndefined();
    expect(await snapshotsOf(staging.id)).toBe(history);
    expect(await countOf('object_version', staging.id)).toBeGreaterThan(0);

    const [gone, listed] = await Promise.all([reachlog('cluster', 'show', 'staging'), reachlog('cluster', 'list')]);
    const readded = await reachlog('cluster', 'add', 'staging', '--context', 'shop-admin', '--every', '1h');
    expect(gone.status).toBe(1);
    expect(gone.stderr).toBe('reachlog: cluster "staging" not found\n');
    expect(listed.stdout).not.toContain('staging');
    expect(readded).toMatchObject({
      status: 0,
      stdout: 'registered staging\tkubeconfig context shop-admin\tevery 1h\tactive\n',
    });
    const again = await schedulerOf('staging');
    expect(again.id).not.toBe(staging.id);
    await waitFor('the first snapshot of the re-added staging', async () => (await snapshotsOf(again.id)) > 0);
    await waitFor('the re-added staging to be idle', async () => (await queue.getActiveCount()) === 0);

    expect(await reachlog('cluster', 'remove', 'staging', '--purge')).toMatchObject({
      status: 0,
      stdout: 'staging: removed with its history\n',
    });
    expect(await query('SELECT id FROM cluster WHERE id = $1', [again.id])).toEqual([]);
    for (const table of ['snapshot', 'object_version', 'reach_version', 'current_pod', 'exposure_event']) {
      expect(await countOf(table, again.id), table).toBe(0);
    }
    expect(await queue.getJobScheduler(`cluster-${again.id}`)).toBeUndefined();
    // The first staging, removed without --purge, keeps its history.
    expect(await snapshotsOf(staging.id)).toBe(history);
    // Ten CLI runs, each 4-8 s to start on a busy machine.
  }, 180_000);
});
