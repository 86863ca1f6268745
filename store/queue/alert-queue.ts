import { reportedByConnection } from './snapshot-queue.js';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const ALERT_QUEUE = 'reachlog-alert';

/**
 * `deliver`: send one outbox row (the job names it by id, so adding it twice is one job).
 * `sweep`: queue pending rows again (after a crash between COMMIT and queueing) and look for
 * overdue or failing snapshots.
 */
export type AlertJobData = { kind: 'deliver'; deliveryId: string } | { kind: 'sweep' };

/** Retries with backoff: 2 s, 4 s, 8 s … (about 8.5 minutes in all), or when the receiver's Retry-After says. */
export const DELIVERY_ATTEMPTS = 9;
export const DELIVERY_BACKOFF_MS = 2_000;
/** A custom strategy: the worker's backoffStrategy honours Retry-After, else backs off exponentially. */
export const RETRY_AFTER_BACKOFF = 'retry-after';

export const SWEEP_EVERY_MS = 30_000;
export const SWEEP_SCHEDULER = 'alert-sweep';

export function createAlertQueue(connection: Redis): Queue<AlertJobData> {
  const queue = new Queue<AlertJobData>(ALERT_QUEUE, { connection });
  queue.on('error', reportedByConnection);
  return queue;
}

export async function enqueueDeliveries(queue: Queue<AlertJobData>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await queue.addBulk(
    ids.map((id) => ({
      name: 'deliver',
      data: { kind: 'deliver' as const, deliveryId: id },
      opts: {
        jobId: `delivery-${id}`,
        attempts: DELIVERY_ATTEMPTS,
        backoff: { type: RETRY_AFTER_BACKOFF, delay: DELIVERY_BACKOFF_MS },
        // The outbox row is the record of what happened; a finished job leaves nothing behind,
        // so the sweep can queue a row still pending (say, after Postgres was down) again.
        removeOnComplete: true,
        removeOnFail: true,
      },
    })),
  );
}

/** The sweep, every `everyMs`, whichever worker runs it. */
export async function scheduleSweep(queue: Queue<AlertJobData>, everyMs: number = SWEEP_EVERY_MS): Promise<void> {
  await queue.upsertJobScheduler(
    SWEEP_SCHEDULER,
    { every: everyMs },
    { name: 'sweep', data: { kind: 'sweep' }, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
  );
}
