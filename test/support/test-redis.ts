import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export interface TestRedis {
  /** REDIS_URL for this test file: the local Redis with a database index of its own. */
  url: string;
  /** Empties the database (queues, schedulers, locks) and gives it back. */
  release(): Promise<void>;
}

const SERVER = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLAIM_KEY = 'reachlog:test-claim';
/** Longer than any test file runs; a crashed run's claim lapses on its own. */
const CLAIM_MS = 10 * 60_000;

function urlFor(db: number): string {
  const url = new URL(SERVER);
  url.pathname = `/${db}`;
  return url.toString();
}

/**
 * Claims an empty Redis database (1-15; 0 is left to people) for one test file, so its BullMQ
 * queue, schedulers and stalled-job checks never see another file's jobs.
 */
export async function claimTestRedis(): Promise<TestRedis> {
  const token = randomBytes(8).toString('hex');
  for (let db = 1; db < 16; db++) {
    const redis = new Redis(urlFor(db), { lazyConnect: true });
    await redis.connect();
    try {
      const claimed = await redis.set(CLAIM_KEY, token, 'PX', CLAIM_MS, 'NX');
      if (claimed !== 'OK') continue;
      // Only a database that held nothing but our claim is free (someone may use it by hand).
      if ((await redis.dbsize()) === 1) {
        return { url: urlFor(db), release: () => releaseDb(db, token) };
      }
      await redis.del(CLAIM_KEY);
    } finally {
      redis.disconnect();
    }
  }
  throw new Error(`no free Redis database on ${SERVER} (1-15 all in use)`);
}

async function releaseDb(db: number, token: string): Promise<void> {
  const redis = new Redis(urlFor(db));
  try {
    if ((await redis.get(CLAIM_KEY)) === token) await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
