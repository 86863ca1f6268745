import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateCluster } from '../../bench/generate/cluster.js';
import { writeList } from '../../bench/generate/write-list.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createPool } from '../../store/db/pool.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import {
  createSnapshotQueue,
  createSnapshotQueueEvents,
  enqueueSnapshot,
  type SnapshotJobData,
  type SnapshotJobResult,
} from '../../store/queue/snapshot-queue.js';
import { startWorker, type RunningWorker } from '../../worker/queue/run-worker.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { claimTestRedis, type TestRedis } from '../support/test-redis.js';
import { saveEnv } from '../support/saved-env.js';

/**
 * A job lock far shorter than the snapshot's work: BullMQ renews it every half lock on the
 * worker's event loop, so a snapshot computed on that loop misses the renewal, is taken as
 * stalled and runs a second time. Computed in a worker thread, it does not.
 */
const LOCK_MS = 1_000;

let db: TestDatabase;
let redis: TestRedis;
let pool: pg.Pool;
let clusters: ClustersRepository;
let queueConnection: Redis;
let eventsConnection: Redis;
let queue: Queue<SnapshotJobData, SnapshotJobResult>;
let events: QueueEvents;
let manifests: string;
const savedEnv = saveEnv(['DATABASE_URL', 'REDIS_URL']);

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool.query<T>(sql, params)).rows;
}

/** A manifests cluster without a schedule: its only snapshots are the ones a test asks for. */
async function register(name: string, dir: string): Promise<number> {
  const c = await clusters.add(name, { kind: 'manifests', dir }, 300);
  await clusters.setPaused(c.id, true);
  return c.id;
}

async function withWorker<T>(
  options: Parameters<typeof startWorker>[0],
  body: (worker: RunningWorker, log: string[]) => Promise<T>,
): Promise<T> {
  const log: string[] = [];
  const worker = await startWorker({ ...options, log: (line) => log.push(line) });
  try {
    return await body(worker, log);
  } finally {
    await worker.close();
  }
}

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), claimTestRedis()]);
  Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL: redis.url });
  pool = createPool(db.url);
  clusters = new ClustersRepository(pool);
  queueConnection = createRedis(redis.url);
  eventsConnection = createRedis(redis.url);
  queue = createSnapshotQueue(queueConnection);
  events = await createSnapshotQueueEvents(eventsConnection);
  await events.waitUntilReady();
  // 8k pods as one `kubectl get -o json` List: seconds of parsing and computing, many locks long.
  manifests = mkdtempSync(join(tmpdir(), 'reachlog-thread-'));
  const params = { seed: 7, pods: 8_000, namespaces: 250, policies: 500, uniqueLabels: false, dense: false };
  await writeList(generateCluster(params), join(manifests, 'cluster.json'));
}, 120_000);

afterAll(async () => {
  try {
    await events?.close();
    await queue?.close();
    queueConnection?.disconnect();
    eventsConnection?.disconnect();
    await pool?.end();
    if (manifests) rmSync(manifests, { recursive: true, force: true });
  } finally {
    savedEnv.restore();
    await redis?.release();
    await db?.drop();
  }
});

describe.sequential('snapshot work in a worker thread', () => {
  test('a snapshot that takes many job locks to compute completes once: never stalled, one run, one row', async () => {
    const clusterId = await register('big', manifests);
    await withWorker({ lockDurationMs: LOCK_MS }, async (running) => {
      const stalled: string[] = [];
      running.worker.on('stalled', (id) => stalled.push(id));
      const job = await enqueueSnapshot(queue, clusterId);
      const result = await job.waitUntilFinished(events, 240_000);

      expect(result.status).toBe('changed');
      expect(result.counts).toMatchObject({ pods: 8_000 });
      // The precondition that makes this test mean something: the work outlasted several locks.
      expect(result.durationMs).toBeGreaterThan(2 * LOCK_MS);
      expect(stalled).toEqual([]);
      expect(await queue.getJob(job.id!)).toMatchObject({ attemptsStarted: 1, stalledCounter: 0 });
      const rows = await query<{ status: string; job_id: string }>(
        'SELECT status, job_id FROM snapshot WHERE cluster_id = $1 ORDER BY id',
        [clusterId],
      );
      expect(rows).toEqual([{ status: 'changed', job_id: job.id }]);
    });
  }, 300_000);

  test('a snapshot that runs out of its thread heap fails alone, recorded as a failed row; the worker goes on', async () => {
    const big = await register('too-big', manifests);
    await withWorker({ lockDurationMs: LOCK_MS, snapshotHeapMb: 48 }, async (running, log) => {
      const failed = new Promise<Error>((resolve) => running.worker.once('failed', (_job, e) => resolve(e)));
      const job = await enqueueSnapshot(queue, big);
      const error = await failed;
      expect(error.message).toMatch(/ran out of memory \(REACHLOG_SNAPSHOT_HEAP_MB=48\)/);
      const rows = await query<{ status: string; error: string; job_id: string }>(
        'SELECT status, error, job_id FROM snapshot WHERE cluster_id = $1 ORDER BY id',
        [big],
      );
      expect(rows).toEqual([{ status: 'failed', error: error.message, job_id: job.id }]);
      // Out of memory in the thread, not in this process (which would have ended the test run).
      expect(running.worker.isRunning()).toBe(true);
      expect(log.join('\n')).toMatch(
        /of cluster too-big \(id \d+\) failed \(attempt 1\): the snapshot ran out of memory/,
      );
      await job.remove().catch(() => undefined); // its retries are not this test's
    });
  }, 300_000);
});
