import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createQueryService } from '../../../api/services/postgres-query-service.js';
import type { QueryService } from '../../../api/services/query-service.js';
import { ClustersRepository } from '../../../store/clusters.repository.js';
import { createPool } from '../../../store/db/pool.js';
import { replayTimeline } from '../../../worker/demo/replay-timeline.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { NOW, READER } from '../demo-history.js';

/**
 * A workload's pods that policies tell apart reach each other like any two workloads' pods:
 * who-can-reach and what-can-reach list the workload as its own source and destination, the
 * history records its changes, and explain agrees.
 */
const DIR = fileURLToPath(new URL('../../fixtures/self-connections-history', import.meta.url));
const DB = 'data/db[StatefulSet]';
const CACHE = 'data/cache[StatefulSet]';
const API = 'data/api[Deployment]';
const TCP_5432 = [{ protocol: 'TCP', ports: [[5432, 5432]] }];

let database: TestDatabase;
let pool: pg.Pool;
let service: QueryService;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url);
  const cluster = await new ClustersRepository(pool).add('self-connections', { kind: 'manifests', dir: DIR }, 86_400);
  await replayTimeline(pool, cluster.id, DIR, NOW);
  service = createQueryService(pool, { now: () => NOW });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const cluster = 'self-connections';

describe('a StatefulSet whose leader receives from its followers only', () => {
  test('who-can-reach and what-can-reach list it with itself, on the leader port', async () => {
    const who = await service.whoCanReach(READER, { cluster, target: DB });
    expect(who.entries.items.filter((e) => e.src === DB).map((e) => [e.dst, e.allowed])).toEqual([[DB, TCP_5432]]);
    const what = await service.whatCanReach(READER, { cluster, source: DB });
    expect(what.entries.items.filter((e) => e.dst === DB).map((e) => [e.src, e.allowed])).toEqual([[DB, TCP_5432]]);
  });

  test('a workload whose pods are closed to each other, or all alike, is not its own source', async () => {
    const cache = await service.whoCanReach(READER, { cluster, target: CACHE });
    expect(cache.entries.items.map((e) => e.src)).not.toContain(CACHE);
    const api = await service.whatCanReach(READER, { cluster, source: API });
    expect(api.entries.items.map((e) => e.dst)).not.toContain(API);
  });

  test('its narrowing since the policies arrived is a net change and an event', async () => {
    const who = await service.whoCanReach(READER, { cluster, target: DB, since: '2d' });
    const net = who.netChanges!.filter((c) => c.src === DB);
    expect(net.map((c) => [c.change, c.after])).toEqual([['narrowed', TCP_5432]]);
    expect(who.changes!.filter((c) => c.src === DB && c.dst === DB).map((c) => c.change)).toEqual(['narrowed']);
  });

  test('explain agrees with the answers', async () => {
    const e = await service.explain(READER, { cluster, src: DB, dst: DB });
    expect(e.verdict).toBe('allowed');
    expect(e.allowed).toEqual(TCP_5432);
    const alike = await service.explain(READER, { cluster, src: API, dst: API });
    expect(alike.verdict).toBe('denied');
    expect(alike.text).toContain('one variant');
  });
});
