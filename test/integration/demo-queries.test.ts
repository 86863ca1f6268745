import type { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApiServer, type RunningApi } from '../../api/server.js';
import type { ExposureAnswer, ReachAnswer, ReachChange } from '../../api/services/query-service.js';
import { curlOf, demoQueries, type DemoQuery } from '../../cli/commands/demo.js';
import { ensureDemoCluster, replayTimelineOnce } from '../../worker/demo/demo-cluster.js';
import { createRedis } from '../../worker/queue/redis-connection.js';
import { ClustersRepository } from '../../worker/store/clusters.repository.js';
import { createPool } from '../../worker/store/pg-pool.js';
import { createPrisma, type Db } from '../../worker/store/prisma-client.js';
import { TokensRepository } from '../../worker/store/tokens.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { claimTestRedis, type TestRedis } from '../support/test-redis.js';

/**
 * `npm run demo` prints three queries; this asks them of the API over a replayed demo history,
 * as the printed curl commands would, and checks that the answers show the incident.
 */
let database: TestDatabase;
let testRedis: TestRedis;
let redis: Redis;
let pool: pg.Pool;
let prisma: Db;
let api: RunningApi;
let secret: string;
const queries = demoQueries(7);

beforeAll(async () => {
  database = await createTestDatabase();
  testRedis = await claimTestRedis();
  redis = createRedis(testRedis.url);
  pool = createPool(database.url);
  prisma = createPrisma(database.url);
  const { cluster } = await ensureDemoCluster(new ClustersRepository(prisma));
  await replayTimelineOnce(pool, cluster.id);
  ({ secret } = await new TokensRepository(prisma).create('demo', 'read', null));
  api = await startApiServer({ port: 0, host: '127.0.0.1', connections: { pool, prisma, redis }, log: () => {} });
});

afterAll(async () => {
  await api?.close();
  redis?.disconnect();
  await pool?.end();
  await prisma?.$disconnect();
  await testRedis?.release();
  await database?.drop();
});

async function ask<T>(q: DemoQuery): Promise<T> {
  const res = await fetch(api.url + q.path, {
    method: q.method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    ...(q.body === undefined ? {} : { body: JSON.stringify(q.body) }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

/** The incident of examples/demo point 3, as the changes of a who-can-reach answer show it. */
function expectIncident(changes: ReachChange[]) {
  expect(changes).toContainEqual(expect.objectContaining({ change: 'added', src: 'analytics/reports[Deployment]' }));
  const fromOutside = changes.filter((c) => c.src.startsWith('ip:') && c.change === 'added');
  expect(fromOutside.length).toBeGreaterThan(0);
  for (const c of fromOutside) expect(c.after).toEqual([{ protocol: 'TCP', ports: [[5432, 5432]] }]);
}

describe('the queries npm run demo prints', () => {
  test('REST who-can-reach since 7d: postgres newly reachable from analytics and from outside addresses', async () => {
    const answer = await ask<ReachAnswer>(queries[0]!);
    expect(answer.resolved.workloads).toEqual(['db/postgres[StatefulSet]']);
    expectIncident(answer.changes!);
  });

  test('exposure: postgres is open to 0.0.0.0/0', async () => {
    const answer = await ask<ExposureAnswer>(queries[1]!);
    expect(answer.openToWorld).toContain('db/postgres[StatefulSet]');
  });

  test('GraphQL whoCanReach: the same answer', async () => {
    const answer = await ask<{ data?: { cluster: { whoCanReach: ReachAnswer } }; errors?: unknown[] }>(queries[2]!);
    expect(answer.errors).toBeUndefined();
    // GraphQL spells the change kinds as enum values: ADDED.
    expectIncident(
      answer.data!.cluster.whoCanReach.changes!.map((c) => ({
        ...c,
        change: c.change.toLowerCase() as ReachChange['change'],
      })),
    );
  });

  test('the printed curl commands quote the URL, so the shell and curl take [ ] literally', () => {
    const who = curlOf('http://localhost:8080', queries[0]!);
    expect(who).toContain(
      "'http://localhost:8080/api/v1/clusters/demo/who-can-reach?target=db%2Fpostgres%5BStatefulSet%5D&since=7d'",
    );
    expect(who).toContain('Bearer $TOKEN');
    expect(curlOf('http://localhost:8080', queries[2]!)).toMatch(/-d '\{"query":/);
  });
});
