import { Redis } from 'ioredis';
import { env } from '../../config/env.js';

/** BullMQ workers need blocking commands that never give up on a retry count. */
export function createRedis(url: string = env().redisUrl): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}
