import { Redis } from 'ioredis';

/** REDIS_URL, or the local Redis these machines (and docker-compose) provide. */
export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** BullMQ workers need blocking commands that never give up on a retry count. */
export function createRedis(url: string = redisUrl()): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}
