import { Redis } from 'ioredis';
import { env } from '../../config/env.js';
import { redact } from '../../config/redact.js';
import { outageLog, type OutageLog } from '../outage-log.js';

export interface RedisOptions {
  /**
   * Where connection errors go: one line per outage and one when it is back, redacted. Without
   * it ioredis prints an unhandled-error stack on every reconnect attempt.
   */
  log?: (line: string) => void;
  /** Named in those lines: `redis (queue)`, `redis (worker)`. */
  role?: string;
  /**
   * Shared by a process's connections to one Redis, so that an outage is one line, not one per
   * connection (a worker holds several: the queue's, and one blocking connection per consumer).
   */
  outage?: OutageLog;
}

/** BullMQ workers need blocking commands that never give up on a retry count. */
export function createRedis(url: string = env().redisUrl, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const name = options.role ? `redis (${options.role})` : 'redis';
  const outage = options.outage ?? outageLog(log);
  redis.on('error', (e: Error) => outage(`${name}: ${redact(e.message || String(e))}; reconnecting`));
  redis.on('ready', () => outage.recovered(`${name}: connected again`));
  return redis;
}

/** Whether a command sent now would be answered now: ioredis queues commands while it reconnects. */
export function redisReady(redis: Pick<Redis, 'status'>): boolean {
  return redis.status === 'ready';
}
