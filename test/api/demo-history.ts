import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createQueryService } from '../../api/services/postgres-query-service.js';
import type { Principal, QueryService } from '../../api/services/query-service.js';
import { replayTimeline } from '../../worker/demo/replay-timeline.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createPool } from '../../store/db/pool.js';
import { createTestDatabase } from '../support/test-database.js';

export const DEMO_DIR = fileURLToPath(new URL('../../examples/demo', import.meta.url));
/** The replay's "now": snapshots are 28, 14, 5, 1 and ½ day(s) before it; the service's clock stands still there. */
export const NOW = new Date('2025-06-01T12:00:00.000Z');
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

/** The workloads the demo timeline's questions are about: the database, and who gains access to it. */
export const POSTGRES = 'db/postgres[StatefulSet]';
export const REPORTS = 'analytics/reports[Deployment]';
/** The storefront, and the payments service the last point's AdminNetworkPolicy closes to it. */
export const WEB = 'storefront/web[Deployment]';
export const PAYMENTS = 'api/payments[Deployment]';

export const READER: Principal = { tokenId: 1, name: 'reader', scopes: ['read'], clusterIds: null };

export interface DemoHistory {
  service: QueryService;
  pool: pg.Pool;
  clusterId: number;
  /** Snapshot ids of the timeline's points, oldest first (1-baseline … 5-payments-guard). */
  snapshots: number[];
  /** A cluster registered beside the demo, to check principal scoping against. */
  otherClusterId: number;
  close(): Promise<void>;
}

/** A fresh database holding the demo timeline, replayed as the worker would have stored it. */
export async function seedDemoHistory(): Promise<DemoHistory> {
  const database = await createTestDatabase();
  const pool = createPool(database.url);
  try {
    const clusters = new ClustersRepository(pool);
    const demo = await clusters.add('demo', { kind: 'manifests', dir: DEMO_DIR }, 86_400);
    const other = await clusters.add('other', { kind: 'kube', context: 'staging' }, 300);
    const outcomes = await replayTimeline(pool, demo.id, DEMO_DIR, NOW);
    return {
      service: createQueryService(pool, { now: () => NOW }),
      pool,
      clusterId: demo.id,
      otherClusterId: other.id,
      snapshots: outcomes.map((o) => o.snapshotId),
      close: async () => {
        await pool.end();
        await database.drop();
      },
    };
  } catch (e) {
    await pool.end();
    await database.drop();
    throw e;
  }
}

/** The error a call fails with, for asserting on its code and message. */
export async function failureOf(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (e) {
    if (e instanceof Error && 'code' in e) return { code: String(e.code), message: e.message };
    throw e;
  }
  throw new Error('expected the call to fail');
}
