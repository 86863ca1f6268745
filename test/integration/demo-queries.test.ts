import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApiServer, type RunningApi } from '../../api/server.js';
import type { ExplainAnswer, ExposureAnswer, ReachAnswer, ReachChange } from '../../api/services/query-service.js';
import { adminAnswerLines, curlOf, demoQueries, type DemoQuery } from '../../cli/commands/demo.js';
import { ensureDemoCluster, replayTimelineOnce } from '../../worker/demo/demo-cluster.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { TokensRepository } from '../../store/tokens.repository.js';
import { ClusterNames } from '../../worker/queue/cluster-names.js';
import { InProcessSnapshotJobs } from '../../worker/queue/in-process-jobs.js';
import { createTestDatabase, DATABASE_KINDS, PGLITE_SETUP_MS, type DatabaseKind } from '../support/test-database.js';
import { claimTestRedis } from '../support/test-redis.js';

/**
 * `npm run demo` prints four queries; this asks them of the API over a replayed demo history,
 * as the printed curl commands would, and checks that the answers show the incident (and the
 * admin Deny of the timeline's last point): on real
 * Postgres and Redis, and on the embedded store, and that both answer the same.
 */

const queries = demoQueries(7);

/** What each store answered, by query title, for the comparison at the end. */
const answers = new Map<DatabaseKind, Map<string, unknown>>();
/** The store the running describe block asks. */
let current: { kind: DatabaseKind; api: RunningApi; secret: string };

/** The demo's stack on either store: real Postgres with Redis, or embedded PGlite with jobs in-process. */
async function startDemoApi(kind: DatabaseKind): Promise<{ api: RunningApi; secret: string; close(): Promise<void> }> {
  const database = await createTestDatabase(kind);
  const pool = database.pool();
  const testRedis = kind === 'postgres' ? await claimTestRedis() : undefined;
  const redis = testRedis ? createRedis(testRedis.url) : null;
  const { cluster } = await ensureDemoCluster(new ClustersRepository(pool));
  await database.exclusive(() => replayTimelineOnce(pool, cluster.id));
  const { secret } = await new TokensRepository(pool).create('demo', 'read', null);
  const jobs = redis
    ? undefined
    : new InProcessSnapshotJobs({
        process: () => Promise.reject(new Error('the demo cluster is paused: no job runs')),
        exclusive: (fn) => database.exclusive(fn),
        log: () => undefined,
        names: new ClusterNames(new ClustersRepository(pool)),
      });
  const api = await startApiServer({
    port: 0,
    host: '127.0.0.1',
    connections: { pool, redis, ...(jobs ? { jobs } : {}) },
    log: () => {},
  });
  return {
    api,
    secret,
    async close() {
      await api.close();
      await jobs?.close();
      redis?.disconnect();
      await testRedis?.release();
      await database.drop();
    },
  };
}

async function ask<T>(q: DemoQuery): Promise<T> {
  const { kind, api, secret } = current;
  const res = await fetch(api.url + q.path, {
    method: q.method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    ...(q.body === undefined ? {} : { body: JSON.stringify(q.body) }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const answer = (await res.json()) as T;
  answers.get(kind)!.set(q.title, answer);
  return answer;
}

/** The incident of examples/demo point 3, as the changes of a who-can-reach answer show it. */
function expectIncident(changes: ReachChange[]) {
  expect(changes).toContainEqual(expect.objectContaining({ change: 'added', src: 'analytics/reports[Deployment]' }));
  const fromOutside = changes.filter((c) => c.src.startsWith('ip:') && c.change === 'added');
  expect(fromOutside.length).toBeGreaterThan(0);
  for (const c of fromOutside) expect(c.after).toEqual([{ protocol: 'TCP', ports: [[5432, 5432]] }]);
}

describe.each(DATABASE_KINDS)('the queries npm run demo prints, on %s', (kind) => {
  let demo: Awaited<ReturnType<typeof startDemoApi>>;
  beforeAll(async () => {
    answers.set(kind, new Map());
    demo = await startDemoApi(kind);
    current = { kind, api: demo.api, secret: demo.secret };
  }, PGLITE_SETUP_MS);
  afterAll(async () => demo?.close());

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

  test('explain: the storefront is denied payments by the AdminNetworkPolicy pci-payments, above api-ingress', async () => {
    const answer = await ask<ExplainAnswer>(queries[3]!);
    expect(answer).toMatchObject({ src: 'storefront/web[Deployment]', dst: 'api/payments[Deployment]' });
    expect(answer.verdict).toBe('denied');
    const { ingress } = answer.pairs[0]!;
    expect(ingress.matches.map((m) => m.policy)).toEqual(['api/api-ingress']);
    expect(ingress.tierDecisions).toEqual([
      expect.objectContaining({ kind: 'AdminNetworkPolicy', policy: 'pci-payments', action: 'Deny', rule: 0 }),
    ]);
    // As the demo prints it.
    expect(adminAnswerLines(answer)).toEqual([
      'Its answer: storefront/web[Deployment] -> api/payments[Deployment] is denied:',
      '  NetworkPolicy api/api-ingress ingress rule 0 allows TCP 8443',
      '  denied first by AdminNetworkPolicy pci-payments (priority 10) ingress rule 0 "no-storefront": all connections',
    ]);
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

/** Ids and times differ between two stores (each replay runs now); everything else must not. */
function withoutIdsAndTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIdsAndTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !['id', 'takenAt', 'durationMs', 'snapshot', 'since', 'asOf'].includes(k))
      .map(([k, v]) => [k, withoutIdsAndTimes(v)]),
  );
}

describe('real Postgres and embedded PGlite', () => {
  test('give the same answers to the demo queries', () => {
    const [postgres, pglite] = DATABASE_KINDS.map((k) => answers.get(k)!);
    expect(postgres!.size).toBe(queries.length);
    for (const q of queries) {
      expect(withoutIdsAndTimes(pglite!.get(q.title)), q.title).toEqual(withoutIdsAndTimes(postgres!.get(q.title)));
    }
  });
});
