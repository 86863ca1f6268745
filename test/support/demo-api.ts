import { startApiServer, type RunningApi } from '../../api/server.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import { queuedSnapshotJobs } from '../../store/queue/snapshot-jobs.js';
import { createSnapshotQueue } from '../../store/queue/snapshot-queue.js';
import { TokensRepository } from '../../store/tokens.repository.js';
import { NOW, seedDemoHistory, type DemoHistory } from '../api/demo-history.js';
import { claimTestRedis } from './test-redis.js';

/** The real API, listening on a free loopback port, over the demo history (its clock pinned at NOW). */
export interface DemoApi {
  url: string;
  history: DemoHistory;
  /** Secrets of a read token and an admin token. */
  readToken: string;
  adminToken: string;
  /** The Redis database its queues live in (for a report worker of the test's own). */
  redisUrl: string;
  api: RunningApi;
  close(): Promise<void>;
}

export async function startDemoApi(): Promise<DemoApi> {
  const history = await seedDemoHistory();
  const redisDb = await claimTestRedis();
  const redis = createRedis(redisDb.url);
  const queue = createSnapshotQueue(redis);
  const tokens = new TokensRepository(history.pool);
  const readToken = (await tokens.create('auditor', 'read', null)).secret;
  const adminToken = (await tokens.create('platform', 'admin', null)).secret;
  const api = await startApiServer({
    port: 0,
    host: '127.0.0.1',
    connections: { pool: history.pool, redis, jobs: queuedSnapshotJobs(queue, redis) },
    now: () => NOW,
    log: () => {},
  });
  return {
    url: api.url,
    history,
    readToken,
    adminToken,
    redisUrl: redisDb.url,
    api,
    async close() {
      await api.close();
      await queue.close();
      redis.disconnect();
      await redisDb.release();
      await history.close();
    },
  };
}
