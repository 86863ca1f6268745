import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from '../store/queue/redis-connection.js';
import { createSnapshotQueue, type SnapshotJobData, type SnapshotJobResult } from '../store/queue/snapshot-queue.js';
import { ClustersRepository } from '../store/clusters.repository.js';
import { createPrisma, type Db } from '../store/db/prisma-client.js';
import { SnapshotsRepository } from '../store/snapshots.repository.js';
import { TokensRepository } from '../store/tokens.repository.js';

/** What CLI commands talk to: Postgres (through repositories) and the snapshot queue. */
export interface Services {
  db: Db;
  clusters: ClustersRepository;
  snapshots: SnapshotsRepository;
  tokens: TokensRepository;
  redis: Redis;
  queue: Queue<SnapshotJobData, SnapshotJobResult>;
}

export async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const db = createPrisma();
  const redis = createRedis();
  const queue = createSnapshotQueue(redis);
  try {
    return await fn({
      db,
      clusters: new ClustersRepository(db),
      snapshots: new SnapshotsRepository(db),
      tokens: new TokensRepository(db),
      redis,
      queue,
    });
  } finally {
    await queue.close();
    redis.disconnect();
    await db.$disconnect();
  }
}
