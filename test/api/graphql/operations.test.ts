import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GraphqlContext } from '../../../api/graphql/context.js';
import { mountGraphql } from '../../../api/graphql/mount.js';
import { createGraphqlServer } from '../../../api/graphql/server.js';
import type { Principal } from '../../../api/services/query-service.js';
import { fakeAdminService } from '../../support/fake-query-service.js';
import { daysAgo, READER, seedDemoHistory, type DemoHistory } from '../demo-history.js';

let h: DemoHistory;
let server: ReturnType<typeof createGraphqlServer>;
beforeAll(async () => {
  h = await seedDemoHistory();
  server = createGraphqlServer(h.service, fakeAdminService(), { logError: () => undefined });
});
afterAll(async () => {
  await server?.stop();
  await h?.close();
});

async function run(query: string, variables?: Record<string, unknown>, principal: Principal | null = READER) {
  const contextValue: GraphqlContext = { principal };
  const response = await server.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

const WHO = `query Who($target: String!, $since: String, $first: Int, $after: String) {
  cluster(name: "demo") {
    whoCanReach(target: $target, since: $since, first: $first, after: $after) {
      snapshot { id takenAt status cluster { name } }
      resolved { workloads ports { protocol ports } }
      entries { edges { cursor node { src dst allowed { protocol ports } since { snapshotId takenAt } } }
                pageInfo { hasNextPage endCursor } }
      changes { change src dst snapshotId causes { kind key } }
    }
  }
}`;

describe('operations', () => {
  test('who can reach the database, since when, and what changed', async () => {
    const result = await run(WHO, { target: 'db/postgres[StatefulSet]', since: '7d' });
    expect(result.errors).toBeUndefined();
    const answer = (result.data as { cluster: { whoCanReach: unknown } }).cluster.whoCanReach as {
      snapshot: { id: number; status: string; cluster: { name: string } };
      entries: { edges: { node: { src: string; since: { snapshotId: number; takenAt: string } } }[] };
      changes: { change: string; src: string; causes: { kind: string; key: string }[] }[];
    };
    expect(answer.snapshot).toMatchObject({ id: h.snapshots[4], status: 'CHANGED', cluster: { name: 'demo' } });
    const reports = answer.entries.edges.find((e) => e.node.src === 'analytics/reports[Deployment]');
    expect(reports!.node.since).toEqual({ snapshotId: h.snapshots[2], takenAt: daysAgo(5) });
    expect(answer.changes.filter((c) => c.change === 'ADDED').map((c) => c.src)).toContain(
      'analytics/reports[Deployment]',
    );
    expect(answer.changes[0]!.causes).toContainEqual({ kind: 'NetworkPolicy', key: 'db/postgres-debug-access' });
  });

  test('cursor pagination through edges and pageInfo', async () => {
    const peers: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result = await run(WHO, { target: 'svc:db/postgres', first: 2, after });
      type Page = {
        edges: { cursor: string; node: { src: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      const entries = (result.data as { cluster: { whoCanReach: { entries: Page } } }).cluster.whoCanReach.entries;
      peers.push(...entries.edges.map((e) => e.node.src));
      expect(entries.pageInfo.endCursor).toBe(entries.edges.at(-1)!.cursor);
      if (!entries.pageInfo.hasNextPage) break;
      after = entries.pageInfo.endCursor;
    }
    // Three workloads and the outside world as one 0.0.0.0/0 entry.
    expect(peers).toHaveLength(4);
    expect(new Set(peers).size).toBe(4);
  });

  test('explain, exposure, workload labels and policy specs', async () => {
    const result = await run(`{
      cluster(name: "demo") {
        explain(src: "analytics/reports[Deployment]", dst: "db/postgres[StatefulSet]", port: "5432", at: "10d") {
          verdict probe { protocol port allowed } pairs { ingress { direction isolatedBy matches { policy } } }
        }
        exposure { openToWorld }
        workloads(namespace: "db") { edges { node { id variants { labels { key value } namedPorts { name port } } } } }
        policies(namespace: "db", first: 1) { edges { node { key selects spec } } pageInfo { hasNextPage } }
        lastSnapshot { counts { name value } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({
      cluster: {
        explain: {
          verdict: 'DENIED',
          probe: { protocol: 'TCP', port: 5432, allowed: false },
          pairs: [
            { ingress: { direction: 'INGRESS', isolatedBy: ['db/default-deny', 'db/postgres-from-api'], matches: [] } },
          ],
        },
        exposure: { openToWorld: expect.arrayContaining(['db/postgres[StatefulSet]']) },
        workloads: {
          edges: [
            {
              node: {
                id: 'db/postgres[StatefulSet]',
                variants: [{ labels: [{ key: 'app', value: 'postgres' }], namedPorts: [{ name: 'pg', port: 5432 }] }],
              },
            },
          ],
        },
        policies: {
          edges: [
            { node: { key: 'db/default-deny', selects: ['db/postgres[StatefulSet]'], spec: { podSelector: {} } } },
          ],
          pageInfo: { hasNextPage: true },
        },
        lastSnapshot: { counts: expect.arrayContaining([{ name: 'workloads', value: 7 }]) },
      },
    });
  });
});

describe('error codes', () => {
  const codeOf = async (query: string, principal: Principal | null = READER) => {
    const result = await run(query, undefined, principal);
    expect(result.errors, query).toHaveLength(1);
    return { code: result.errors![0]!.extensions?.code, message: result.errors![0]!.message };
  };

  test('BAD_USER_INPUT for a malformed selector, naming the position', async () => {
    const e = await codeOf(
      `{ cluster(name: "demo") { whoCanReach(target: "ns=db:app in postgres") { resolved { workloads } } } }`,
    );
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.message).toContain('at position 14');
  });

  test('NOT_FOUND for an unknown cluster and for one outside the principal, alike', async () => {
    const unknown = await codeOf(`{ cluster(name: "nope") { name } }`);
    expect(unknown).toEqual({ code: 'NOT_FOUND', message: 'cluster "nope" not found' });
    const hidden = await codeOf(`{ cluster(name: "demo") { name } }`, { ...READER, clusterIds: [h.otherClusterId] });
    expect(hidden).toEqual({ code: 'NOT_FOUND', message: 'cluster "demo" not found' });
  });

  test('BAD_USER_INPUT for a time in the future', async () => {
    const e = await codeOf(`{ cluster(name: "demo") { exposure(at: "2999-01-01") { openToWorld } } }`);
    expect(e.code).toBe('BAD_USER_INPUT');
  });

  test('UNAUTHENTICATED without a principal, FORBIDDEN without the read scope', async () => {
    expect((await codeOf(`{ clusters { edges { node { name } } } }`, null)).code).toBe('UNAUTHENTICATED');
    expect((await codeOf(`{ clusters { edges { node { name } } } }`, { ...READER, scopes: [] })).code).toBe(
      'FORBIDDEN',
    );
  });

  test('an internal failure says nothing about its cause', async () => {
    const broken = createGraphqlServer(
      { ...h.service, clusters: () => Promise.reject(new Error('connection to 10.1.2.3 refused')) },
      fakeAdminService(),
      { logError: () => undefined },
    );
    const response = await broken.executeOperation(
      { query: '{ clusters { edges { node { name } } } }' },
      { contextValue: { principal: READER } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    expect(result?.errors?.[0]).toMatchObject({
      message: 'internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(result)).not.toContain('10.1.2.3');
  });
});

describe('mountGraphql', () => {
  test('serves /graphql with the principal from the request, 401 without one', async () => {
    const app = express();
    const mounted = createGraphqlServer(h.service, fakeAdminService());
    await mountGraphql(app, mounted, (req) => (req.headers.authorization === 'Bearer good' ? READER : null));
    try {
      const ok = await request(app)
        .post('/graphql')
        .set('authorization', 'Bearer good')
        .send({ query: '{ clusters { edges { node { name } } } }' });
      expect(ok.status).toBe(200);
      expect(ok.body.data.clusters.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
        'demo',
        'other',
      ]);
      const anonymous = await request(app).post('/graphql').send({ query: '{ clusters { edges { node { name } } } }' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    } finally {
      await mounted.stop();
    }
  });
});
