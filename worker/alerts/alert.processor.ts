import type { Job, Queue } from 'bullmq';
import { DeliveryError } from '../../alerts/receivers/send-alert.js';
import { AlertDeliveriesRepository } from '../../store/alert-deliveries.repository.js';
import { DELIVERY_BACKOFF_MS, enqueueDeliveries, type AlertJobData } from '../../store/queue/alert-queue.js';
import { deliverOne, type DeliverOptions } from './deliver.js';
import { recordHealthAlerts } from './health-alerts.js';

/**
 * One processor for the alert queue: `deliver` sends one outbox row (throwing to retry, so
 * BullMQ's backoff applies), `sweep` queues rows left pending and records health alerts.
 */
export function alertProcessor(o: DeliverOptions & { queue: Queue<AlertJobData> }) {
  return async (job: Pick<Job<AlertJobData>, 'data' | 'attemptsMade' | 'opts'>): Promise<string> => {
    if (job.data.kind === 'sweep') {
      const health = await recordHealthAlerts(o.pool, o.now?.() ?? new Date());
      const pending = await new AlertDeliveriesRepository(o.pool).pendingIds();
      await enqueueDeliveries(o.queue, [...new Set([...health, ...pending])]);
      return `queued ${pending.length} pending deliveries`;
    }
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const { outcome, error } = await deliverOne(o, job.data.deliveryId, finalAttempt);
    if (outcome === 'retry') throw error;
    return outcome;
  };
}

/**
 * BullMQ's custom backoff for deliveries: the receiver's Retry-After when it gave one (Slack's
 * 429), else exponential from `baseMs`.
 */
export function deliveryBackoff(baseMs: number = DELIVERY_BACKOFF_MS) {
  return (attemptsMade: number, _type?: string, err?: Error): number => {
    if (err instanceof DeliveryError && err.retryAfterMs !== undefined) return err.retryAfterMs;
    return Math.round(baseMs * 2 ** Math.max(0, attemptsMade - 1));
  };
}
