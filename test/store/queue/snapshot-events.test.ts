import { QueueEvents, Worker, type QueueEventsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRedis } from '../../../store/queue/redis-connection.js';
import {
  SNAPSHOT_QUEUE,
  createSnapshotQueue,
  createSnapshotQueueEvents,
  type SnapshotJobData,
  type SnapshotJobResult,
} from '../../../store/queue/snapshot-queue.js';
import { claimTestRedis, type TestRedis } from '../../support/test-redis.js';

/**
 * `snapshot --wait` listens, then asks for a job, then waits on it. A job that finishes before
 * the listener's first blocking read (a small cluster on an idle worker) must still be heard:
 * BullMQ's default cursor would drop that event and the wait would last until its timeout.
 */

let redis: TestRedis;
const connections: Redis[] = [];
const connection = () => {
  const c = createRedis(redis.url, { log: () => undefined });
  connections.push(c);
  return c;
};

beforeAll(async () => {
  redis = await claimTestRedis();
});

afterAll(async () => {
  for (const c of connections) c.disconnect();
  await redis?.release();
});

test('events written after the listener opened but before it first read are delivered', async () => {
  const queue = createSnapshotQueue(connection());
  // Opened before the job exists; its reads are stopped so that all below happens before one.
  const opened = await createSnapshotQueueEvents(connection());
  const cursor = (opened.opts as QueueEventsOptions).lastEventId;
  await opened.close();
  const worker = new Worker<SnapshotJobData, SnapshotJobResult>(
    SNAPSHOT_QUEUE,
    async () => ({ snapshotId: 7, status: 'changed', durationMs: 1, counts: {}, problems: [] }),
    { connection: connection() },
  );
  const job = await queue.add('snapshot', { clusterId: 1 });
  await job.waitUntilFinished(await createSnapshotQueueEvents(connection()), 10_000);
  await worker.close();

  // Reading from that listener's cursor only now still delivers the completion.
  const late = new QueueEvents(SNAPSHOT_QUEUE, { connection: connection(), lastEventId: cursor });
  const heard = await new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the completion was never delivered')), 5_000);
    late.on('completed', ({ jobId, returnvalue }) => {
      if (jobId !== job.id) return;
      clearTimeout(timer);
      resolve(returnvalue);
    });
  });
  await late.close();
  await queue.close();
  expect(heard).toMatchObject({ snapshotId: 7 });
});
