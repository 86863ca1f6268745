import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ClusterRow } from '../clusters.repository.js';

export const SNAPSHOT_QUEUE = 'reachlog-snapshot';

/** Jobs carry only the cluster id: the processor reads the rest, so a retried job sees current settings. */
export interface SnapshotJobData {
  clusterId: number;
}

export interface SnapshotJobResult {
  snapshotId: number;
  status: 'changed' | 'unchanged';
  durationMs: number;
  counts: Record<string, unknown>;
  problems: string[];
}

/** Retries with exponential backoff: 5 s, 10 s, 20 s, 40 s. */
export const SNAPSHOT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 1000 },
} as const;

/**
 * BullMQ re-emits its connection's errors on the queue, and with no listener prints a stack per
 * reconnect attempt: the connection (createRedis) reports an outage once, so these are dropped.
 */
export const reportedByConnection = () => undefined;

export function createSnapshotQueue(connection: Redis): Queue<SnapshotJobData, SnapshotJobResult> {
  const queue = new Queue<SnapshotJobData, SnapshotJobResult>(SNAPSHOT_QUEUE, { connection });
  queue.on('error', reportedByConnection);
  return queue;
}

/**
 * Job events from the moment this resolves. BullMQ's default cursor (`$`) means "after the
 * listener's next read": an event written before its first read (a job finishing right after
 * `waitUntilFinished` polled it) or between two blocking reads is never delivered, and a wait
 * hangs until its timeout. A cursor from Redis' own clock delivers every later event.
 */
export async function createSnapshotQueueEvents(connection: Redis): Promise<QueueEvents> {
  const [seconds, micros] = await connection.time();
  const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  // Stream ids are `<ms>-<seq>` and reads return ids after the cursor: one ms back covers this ms.
  const events = new QueueEvents(SNAPSHOT_QUEUE, { connection, lastEventId: `${nowMs - 1}-0` });
  events.on('error', reportedByConnection);
  return events;
}

/** The job scheduler of a cluster, by its id. */
export const schedulerId = (clusterId: number) => `cluster-${clusterId}`;

/** One job scheduler per cluster, from its registered schedule; paused clusters have none. */
export async function syncSchedule(
  queue: Queue<SnapshotJobData, SnapshotJobResult>,
  cluster: ClusterRow,
): Promise<void> {
  if (cluster.paused) {
    await queue.removeJobScheduler(schedulerId(cluster.id));
    return;
  }
  await queue.upsertJobScheduler(
    schedulerId(cluster.id),
    { every: cluster.everySeconds * 1000 },
    { name: 'snapshot', data: { clusterId: cluster.id }, opts: SNAPSHOT_JOB_OPTIONS },
  );
}

export async function removeSchedule(
  queue: Queue<SnapshotJobData, SnapshotJobResult>,
  clusterId: number,
): Promise<void> {
  await queue.removeJobScheduler(schedulerId(clusterId));
}

/**
 * The id of a snapshot asked for now. Not BullMQ's own (a counter kept in Redis, which starts
 * again at 1 when Redis loses its data): the id is stored in the snapshot rows and shown to
 * whoever asked, so it must never name two jobs. Scheduled jobs need no such id: BullMQ names
 * them `repeat:cluster-<id>:<the time they are due>`.
 */
export const askedJobId = (clusterId: number) => `asked-cluster-${clusterId}-${randomUUID()}`;

export async function enqueueSnapshot(
  queue: Queue<SnapshotJobData, SnapshotJobResult>,
  clusterId: number,
): Promise<Job<SnapshotJobData, SnapshotJobResult>> {
  return queue.add('snapshot', { clusterId }, { ...SNAPSHOT_JOB_OPTIONS, jobId: askedJobId(clusterId) });
}
