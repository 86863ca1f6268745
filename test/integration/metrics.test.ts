import { join } from 'node:path';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyze } from '../../engine/index.js';
import { readManifests } from '../../input/manifest-files.js';
import { startApiServer, type RunningApi } from '../../api/server.js';
import { createPool } from '../../store/db/pool.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import {
  createSnapshotQueue,
  createSnapshotQueueEvents,
  enqueueSnapshot,
  type SnapshotJobData,
  type SnapshotJobResult,
} from '../../store/queue/snapshot-queue.js';
import { TokensRepository } from '../../store/tokens.repository.js';
import { DEMO_DIR } from '../../worker/demo/demo-cluster.js';
import { startWorker, type RunningWorker } from '../../worker/queue/run-worker.js';
import { startStatusServer, type RunningStatusServer } from '../../worker/status/status-server.js';
import { freePort } from '../support/free-port.js';
import { startLoopbackProxy } from '../support/loopback-proxy.js';
import { parseSamples, valueOf, type Sample } from '../support/prometheus-text.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { claimTestRedis, type TestRedis } from '../support/test-redis.js';
import { saveEnv } from '../support/saved-env.js';

/**
 * /metrics of the worker (its status port) and of the API (its metrics port, and its own port
 * with the metrics token) after real snapshots on real Postgres and Redis: both report the same
 * per-cluster values, read from the store, and each its own process's counts.
 */

const METRICS_TOKEN = 'metrics-token-3b9f2c7a5e1d4f60';
const savedEnv = saveEnv(['DATABASE_URL', 'REDIS_URL']);

let db: TestDatabase;
let redis: TestRedis;
let pool: pg.Pool;
let clusters: ClustersRepository;
let queueConnection: Redis;
let queue: Queue<SnapshotJobData, SnapshotJobResult>;
let events: QueueEvents;
let worker: RunningWorker;
let status: RunningStatusServer;
let api: RunningApi;
let shopId: number;
let apiToken: string;

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await fetch(url, { headers });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseSamples(await res.text());
}
const workerMetrics = () => scrape(`http://127.0.0.1:${status.port}/metrics`);
const apiMetrics = () => scrape(`http://127.0.0.1:${api.metricsPort}/metrics`);

async function snapshot(clusterId: number): Promise<SnapshotJobResult> {
  const job = await enqueueSnapshot(queue, clusterId);
  return (await job.waitUntilFinished(events, 60_000)) as SnapshotJobResult;
}

async function useManifests(dir: string): Promise<void> {
  await pool.query('UPDATE cluster SET manifests_dir = $2 WHERE id = $1', [shopId, join(DEMO_DIR, dir)]);
}

/** What the engine lists for the manifests, counted one by one: the reference for the metrics. */
function listed(dir: string) {
  const reach = analyze(readManifests([join(DEMO_DIR, dir)]).objects.map((o) => o.body));
  const workloads = new Set(reach.cluster.workloads.map((w) => w.id));
  const summary = reach.summary();
  return {
    workloads: workloads.size,
    exposed: summary.exposedToOutside.length,
    openToWorld: summary.openToWorld.length,
    ingressUnisolated: summary.unprotected.length,
    connections: [...reach.connections()].filter((c) => workloads.has(c.src) && workloads.has(c.dst)).length,
  };
}

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), claimTestRedis()]);
  Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL: redis.url });
  pool = new pg.Pool({ connectionString: db.url });
  clusters = new ClustersRepository(pool);
  queueConnection = createRedis(redis.url);
  queue = createSnapshotQueue(queueConnection);
  events = await createSnapshotQueueEvents(createRedis(redis.url));
  await events.waitUntilReady();
  // Paused: no scheduler, so the only snapshots are those a test asks for.
  const shop = await clusters.add('shop', { kind: 'manifests', dir: join(DEMO_DIR, '1-baseline') }, 3600);
  await clusters.setPaused(shop.id, true);
  shopId = shop.id;
  apiToken = (await new TokensRepository(pool).create('reader', 'read', null)).secret;
  worker = await startWorker({ log: () => undefined, metricsCacheMs: 0 });
  status = await startStatusServer({
    port: 0,
    host: '127.0.0.1',
    readiness: worker.readiness,
    metrics: worker.metrics.registry,
  });
  api = await startApiServer({
    port: 0,
    host: '127.0.0.1',
    metricsPort: 0,
    metricsToken: METRICS_TOKEN,
    metricsCacheMs: 0,
    log: () => undefined,
  });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await status?.close();
  await worker?.close();
  await events?.close();
  await queue?.close();
  queueConnection?.disconnect();
  await pool?.end();
  await redis?.release();
  await db?.drop();
  savedEnv.restore();
});

describe('metrics after real snapshots', () => {
  test('before any snapshot: the cluster is registered and paused, with no last success to report', async () => {
    for (const samples of [await workerMetrics(), await apiMetrics()]) {
      expect(valueOf(samples, 'reachlog_store_up')).toBe(1);
      expect(valueOf(samples, 'reachlog_cluster_snapshot_interval_seconds', { cluster: 'shop' })).toBe(3600);
      expect(valueOf(samples, 'reachlog_cluster_paused', { cluster: 'shop' })).toBe(1);
      expect(valueOf(samples, 'reachlog_cluster_registered_timestamp_seconds', { cluster: 'shop' })).toBeGreaterThan(
        Date.now() / 1000 - 120,
      );
      expect(valueOf(samples, 'reachlog_cluster_last_success_timestamp_seconds', { cluster: 'shop' })).toBeUndefined();
      expect(valueOf(samples, 'reachlog_cluster_workloads', { cluster: 'shop' })).toBeUndefined();
      expect(valueOf(samples, 'reachlog_queue_up', { queue: 'reachlog-snapshot' })).toBe(1);
      // Node's own process metrics, under their usual names.
      expect(valueOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
      expect(valueOf(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    }
  });

  test('each snapshot moves the per-cluster values, the same on the worker and the API; an unchanged one carries the exposure figures', async () => {
    const first = await snapshot(shopId);
    expect(first.status).toBe('changed');
    const baseline = listed('1-baseline');
    const checkShop = async (expected: ReturnType<typeof listed>) => {
      const { rows } = await pool.query<{ taken_at: Date; duration_ms: number }>(
        `SELECT taken_at, duration_ms FROM snapshot WHERE cluster_id = $1 ORDER BY id DESC LIMIT 1`,
        [shopId],
      );
      for (const samples of [await workerMetrics(), await apiMetrics()]) {
        const shop = (name: string, labels: Record<string, string> = {}) =>
          valueOf(samples, name, { cluster: 'shop', ...labels });
        expect(shop('reachlog_cluster_last_success_timestamp_seconds')).toBe(rows[0]!.taken_at.getTime() / 1000);
        expect(shop('reachlog_cluster_last_attempt_timestamp_seconds')).toBe(rows[0]!.taken_at.getTime() / 1000);
        expect(shop('reachlog_cluster_last_snapshot_duration_seconds')).toBe(rows[0]!.duration_ms / 1000);
        expect(shop('reachlog_cluster_workloads')).toBe(expected.workloads);
        expect(shop('reachlog_cluster_workloads_exposed_to_outside')).toBe(expected.exposed);
        expect(shop('reachlog_cluster_workloads_open_to_world')).toBe(expected.openToWorld);
        expect(shop('reachlog_cluster_workloads_unisolated', { direction: 'ingress' })).toBe(
          expected.ingressUnisolated,
        );
        expect(shop('reachlog_cluster_workloads_unisolated', { direction: 'egress' })).toBeGreaterThanOrEqual(0);
        expect(shop('reachlog_cluster_connections')).toBe(expected.connections);
        expect(shop('reachlog_cluster_objects', { kind: 'namespaces' })).toBeGreaterThan(0);
        expect(shop('reachlog_cluster_snapshot_failures_total')).toBe(0);
        expect(shop('reachlog_cluster_snapshot_failures_since_success')).toBe(0);
      }
    };
    await checkShop(baseline);
    // The demo's baseline: three workloads open to 0.0.0.0/0, six in all.
    expect(baseline).toMatchObject({ workloads: 6, exposed: 3 });

    await useManifests('3-db-opened');
    expect((await snapshot(shopId)).status).toBe('changed');
    const opened = listed('3-db-opened');
    expect(opened.exposed).toBe(5);
    await checkShop(opened);

    const again = await snapshot(shopId);
    expect(again.status).toBe('unchanged');
    await checkShop(opened);

    const w = await workerMetrics();
    expect(valueOf(w, 'reachlog_jobs_completed_total', { queue: 'reachlog-snapshot' })).toBe(3);
    expect(valueOf(w, 'reachlog_snapshot_duration_seconds_count', { outcome: 'changed' })).toBe(2);
    expect(valueOf(w, 'reachlog_snapshot_duration_seconds_count', { outcome: 'unchanged' })).toBe(1);
    expect(valueOf(w, 'reachlog_queue_jobs', { queue: 'reachlog-snapshot', state: 'waiting' })).toBe(0);
    // The API runs no jobs: it reports none of the worker's own counts.
    expect(
      valueOf(await apiMetrics(), 'reachlog_jobs_completed_total', { queue: 'reachlog-snapshot' }),
    ).toBeUndefined();
  }, 120_000);

  test('a snapshot that fails for good is counted per cluster (from Postgres) and per worker (final failure)', async () => {
    const broken = await clusters.add('broken', { kind: 'kube', context: 'no-such-context' }, 600);
    await clusters.setPaused(broken.id, true);
    const job = await enqueueSnapshot(queue, broken.id);
    await expect(job.waitUntilFinished(events, 60_000)).rejects.toThrow(
      // Which depends on whether this machine has a kubeconfig: either is a failure for good.
      /no context "no-such-context"|no kubeconfig found/,
    );
    for (const samples of [await workerMetrics(), await apiMetrics()]) {
      expect(valueOf(samples, 'reachlog_cluster_snapshot_failures_total', { cluster: 'broken' })).toBe(1);
      expect(valueOf(samples, 'reachlog_cluster_snapshot_failures_since_success', { cluster: 'broken' })).toBe(1);
      expect(valueOf(samples, 'reachlog_cluster_last_attempt_timestamp_seconds', { cluster: 'broken' })).toBeDefined();
      expect(
        valueOf(samples, 'reachlog_cluster_last_success_timestamp_seconds', { cluster: 'broken' }),
      ).toBeUndefined();
      // The other cluster is unaffected.
      expect(valueOf(samples, 'reachlog_cluster_snapshot_failures_total', { cluster: 'shop' })).toBe(0);
    }
    const w = await workerMetrics();
    expect(valueOf(w, 'reachlog_job_failures_total', { queue: 'reachlog-snapshot', final: 'true' })).toBe(1);
    expect(valueOf(w, 'reachlog_snapshot_duration_seconds_count', { outcome: 'failed' })).toBe(1);
    expect(valueOf(w, 'reachlog_queue_jobs', { queue: 'reachlog-snapshot', state: 'failed' })).toBe(1);
  }, 60_000);

  test('API requests are counted by route pattern and status; unrouted paths share one label', async () => {
    const base = api.url;
    const auth = { authorization: `Bearer ${apiToken}` };
    expect((await fetch(`${base}/api/v1/clusters`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/clusters/shop`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/clusters/nowhere`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/no/such/path/${Math.random()}`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const samples = await apiMetrics();
    const count = (route: string, status: string) =>
      valueOf(samples, 'reachlog_http_request_duration_seconds_count', { method: 'GET', route, status });
    expect(count('/api/v1/clusters', '200')).toBe(1);
    expect(count('/api/v1/clusters/:name', '200')).toBe(1);
    // An error leaves the router before the answer: still counted under its route.
    expect(count('/api/v1/clusters/:name', '404')).toBe(1);
    expect(count('unmatched', '404')).toBe(1);
    expect(count('/healthz', '200')).toBeGreaterThanOrEqual(1);
    const routes = new Set(samples.filter((s) => s.name.startsWith('reachlog_http_')).map((s) => s.labels.route));
    expect([...routes].filter((r) => r?.includes('nowhere') || r?.includes('such'))).toEqual([]);
  });
});

describe('who may read /metrics', () => {
  test("the API's own port serves it only with the metrics token, not with an API token", async () => {
    const url = `${api.url}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${apiToken}` } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    const samples = await scrape(url, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(valueOf(samples, 'reachlog_cluster_paused', { cluster: 'shop' })).toBe(1);
  });

  test('without a metrics token the API port does not serve it; the metrics port serves /metrics alone', async () => {
    const other = await startApiServer({ port: 0, host: '127.0.0.1', log: () => undefined });
    try {
      const res = await fetch(`${other.url}/metrics`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/--metrics-port.*REACHLOG_METRICS_TOKEN/);
      expect(other.metricsPort).toBeUndefined();
    } finally {
      await other.close();
    }
    expect((await fetch(`http://127.0.0.1:${api.metricsPort}/api/v1/clusters`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${api.metricsPort}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});

describe('a store that does not answer', () => {
  test('Postgres down: a clean 200 with reachlog_store_up 0, no per-cluster series, the rest as usual', async () => {
    const deadPool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${await freePort()}/reachlog` });
    deadPool.on('error', () => undefined);
    const down = await startApiServer({
      port: 0,
      host: '127.0.0.1',
      metricsPort: 0,
      metricsCacheMs: 0,
      connections: { pool: deadPool },
      log: () => undefined,
    });
    try {
      const samples = await scrape(`http://127.0.0.1:${down.metricsPort}/metrics`);
      expect(valueOf(samples, 'reachlog_store_up')).toBe(0);
      expect(samples.filter((s) => s.name.startsWith('reachlog_cluster_'))).toEqual([]);
      expect(valueOf(samples, 'reachlog_queue_up', { queue: 'reachlog-snapshot' })).toBe(1);
      expect(valueOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    } finally {
      await down.close();
      await deadPool.end();
    }
  });

  test('Postgres going away and coming back while scraped: 0 during the outage, the values again after', async () => {
    const direct = new URL(db.url);
    const proxy = await startLoopbackProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(db.url);
    proxied.port = String(proxy.port);
    const logs: string[] = [];
    const proxiedPool = createPool(proxied.toString(), (line) => logs.push(line));
    const api2 = await startApiServer({
      port: 0,
      host: '127.0.0.1',
      metricsPort: 0,
      metricsCacheMs: 0,
      connections: { pool: proxiedPool },
      log: (line) => logs.push(line),
    });
    const url = `http://127.0.0.1:${api2.metricsPort}/metrics`;
    const workloads = listed('3-db-opened').workloads;
    try {
      const before = await scrape(url);
      expect(valueOf(before, 'reachlog_store_up')).toBe(1);
      expect(valueOf(before, 'reachlog_cluster_workloads', { cluster: 'shop' })).toBe(workloads);

      await proxy.cut();
      // Several scrapes at once, as from Prometheus replicas: each a clean answer.
      for (const during of await Promise.all([1, 2, 3].map(() => scrape(url)))) {
        expect(valueOf(during, 'reachlog_store_up')).toBe(0);
        expect(during.filter((s) => s.name.startsWith('reachlog_cluster_'))).toEqual([]);
      }
      expect(logs.some((l) => l.startsWith('metrics: cluster facts not read'))).toBe(true);

      await proxy.restore();
      const after = await scrape(url);
      expect(valueOf(after, 'reachlog_store_up')).toBe(1);
      expect(valueOf(after, 'reachlog_cluster_workloads', { cluster: 'shop' })).toBe(workloads);
    } finally {
      await api2.close();
      await proxiedPool.end();
      await proxy.close();
    }
  }, 30_000);

  test('Redis down: reachlog_queue_up 0 within the timeout, the per-cluster values still there', async () => {
    const deadRedis = createRedis(`redis://127.0.0.1:${await freePort()}`);
    deadRedis.on('error', () => undefined);
    const down = await startApiServer({
      port: 0,
      host: '127.0.0.1',
      metricsPort: 0,
      metricsCacheMs: 0,
      connections: { redis: deadRedis },
      log: () => undefined,
    });
    try {
      const started = Date.now();
      const samples = await scrape(`http://127.0.0.1:${down.metricsPort}/metrics`);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(valueOf(samples, 'reachlog_queue_up', { queue: 'reachlog-snapshot' })).toBe(0);
      expect(samples.filter((s) => s.name === 'reachlog_queue_jobs')).toEqual([]);
      expect(valueOf(samples, 'reachlog_store_up')).toBe(1);
      expect(valueOf(samples, 'reachlog_cluster_workloads', { cluster: 'shop' })).toBe(listed('3-db-opened').workloads);
    } finally {
      await down.close();
      deadRedis.disconnect();
    }
  }, 20_000);
});
