import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from '../store/queue/redis-connection.js';
import { createSnapshotQueue, type SnapshotJobData, type SnapshotJobResult } from '../store/queue/snapshot-queue.js';
import { ClustersRepository } from '../store/clusters.repository.js';
import { createPool, type Pool } from '../store/db/pool.js';
import { SnapshotsRepository } from '../store/snapshots.repository.js';
import { TokensRepository } from '../store/tokens.repository.js';

/** What CLI commands talk to: Postgres (through repositories) and the snapshot queue. */
export interface Services {
  pool: Pool;
  clusters: ClustersRepository;
  snapshots: SnapshotsRepository;
  tokens: TokensRepository;
  redis: Redis;
  queue: Queue<SnapshotJobData, SnapshotJobResult>;
}

export async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const pool = createPool();
  const redis = createRedis();
  const queue = createSnapshotQueue(redis);
  try {
    return await fn({
      pool,
      clusters: new ClustersRepository(pool),
      snapshots: new SnapshotsRepository(pool),
      tokens: new TokensRepository(pool),
      redis,
      queue,
    });
  } finally {
    await queue.close();
    redis.disconnect();
    await pool.end();
  }
}
