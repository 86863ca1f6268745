import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';

/** One hit in a fixed window: the count, and the milliseconds until the window ends. */
const HIT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }`;

type WithHit = Redis & { reachlogRateHit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * The rate limit's counts in Redis, so every API replica counts against the same limit.
 *
 * Written here rather than taken from rate-limit-redis: that store loads its scripts once, at
 * start-up, and if Redis is not connected yet it never counts again. This one lets ioredis send
 * the script (EVALSHA, EVAL when Redis forgot it). The connection is the queue's, which waits for
 * Redis forever when it is down; the limiter must not, so a hit fails at once unless the
 * connection is ready, and the limiter lets the request through.
 */
export class RedisRateStore implements Store {
  readonly prefix = 'reachlog:rate:';
  private windowMs = 60_000;
  private readonly redis: WithHit;

  constructor(redis: Redis) {
    if (!('reachlogRateHit' in redis)) redis.defineCommand('reachlogRateHit', { numberOfKeys: 1, lua: HIT });
    this.redis = redis as WithHit;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private ready(): void {
    if (this.redis.status !== 'ready') throw new Error(`redis not connected (${this.redis.status})`);
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    this.ready();
    const [totalHits, ttl] = await this.redis.reachlogRateHit(this.prefix + key, this.windowMs);
    return { totalHits, resetTime: new Date(Date.now() + ttl) };
  }

  /** The count without adding a hit (undefined when the window holds none). */
  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    this.ready();
    const [hits, ttl] = await this.redis
      .multi()
      .get(this.prefix + key)
      .pttl(this.prefix + key)
      .exec()
      .then((replies) =>
        (replies ?? []).map(([error, value]) => {
          if (error) throw error;
          return value;
        }),
      );
    if (hits === null || hits === undefined) return undefined;
    return { totalHits: Number(hits), resetTime: new Date(Date.now() + Math.max(0, Number(ttl))) };
  }

  async decrement(key: string): Promise<void> {
    this.ready();
    await this.redis.decr(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    this.ready();
    await this.redis.del(this.prefix + key);
  }
}
