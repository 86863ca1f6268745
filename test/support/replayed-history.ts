import { afterAll, beforeAll } from 'vitest';
import { createQueryService } from '../../api/services/postgres-query-service.js';
import type { QueryService } from '../../api/services/query-service.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createPool, type Pool } from '../../store/db/pool.js';
import { replayTimeline } from '../../worker/demo/replay-timeline.js';
import type { SnapshotOutcome } from '../../worker/snapshot/store-snapshot.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface ReplayedHistory {
  readonly service: QueryService;
  /** What storing each point of the timeline returned, in order. */
  readonly points: SnapshotOutcome[];
}

/**
 * A fixture's timeline (`timeline.yaml` and its point directories) replayed as snapshots of one
 * cluster into a database of the test file's own, before its tests, answered by the query
 * service as of `now`; the database is dropped after them.
 */
export function replayedHistory(cluster: string, dir: string, now: Date): ReplayedHistory {
  let database: TestDatabase | undefined;
  let pool: Pool | undefined;
  let service: QueryService | undefined;
  let points: SnapshotOutcome[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createPool(database.url);
    const { id } = await new ClustersRepository(pool).add(cluster, { kind: 'manifests', dir }, 86_400);
    points = await replayTimeline(pool, id, dir, now);
    service = createQueryService(pool, { now: () => now });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });
  return {
    get service() {
      if (!service) throw new Error('the history is replayed before the tests (beforeAll)');
      return service;
    },
    get points() {
      return points;
    },
  };
}
