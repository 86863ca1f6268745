import type { Redis } from 'ioredis';
import { StoreUnavailableError } from '../unavailable.js';
import { redisReady } from './redis-connection.js';

/** How long one queue operation may take once Redis looked connected (it may drop meanwhile). */
export const QUEUE_OPERATION_MS = 5_000;

/** Throws the 503-worthy StoreUnavailableError unless a command sent on `connection` now would be answered now. */
export function ensureRedisReady(connection: Pick<Redis, 'status'>): void {
  if (!redisReady(connection))
    throw new StoreUnavailableError('redis', `redis is unavailable (connection ${connection.status})`);
}

/**
 * A queue operation a request waits for. The connection waits for Redis forever (BullMQ needs
 * that); a request must not: the operation fails at once when Redis is not connected, or after
 * QUEUE_OPERATION_MS.
 */
export async function boundedQueueOperation<T>(connection: Pick<Redis, 'status'>, work: () => Promise<T>): Promise<T> {
  ensureRedisReady(connection);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError('redis', `redis did not answer within ${QUEUE_OPERATION_MS} ms`)),
      QUEUE_OPERATION_MS,
    );
  });
  return Promise.race([work(), timeout]).finally(() => clearTimeout(timer));
}
