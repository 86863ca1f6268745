import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { replayTimeline } from '../../worker/demo/replay-timeline.js';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';

const DEMO_DIR = fileURLToPath(new URL('../../examples/demo', import.meta.url));
const NOW = new Date('2025-06-01T12:00:00.000Z');
const POSTGRES = 'db/postgres[StatefulSet]';
const PROBLEM = /^application\/problem\+json/;

let h: ApiHarness;
let app: Express;
let reader: { Authorization: string };
let admin: { Authorization: string };

beforeAll(async () => {
  h = await createApiHarness();
  const demo = await h.clusters.add('demo', { kind: 'manifests', dir: DEMO_DIR }, 86_400);
  await replayTimeline(h.pool, demo.id, DEMO_DIR, NOW);
  app = await h.app({ now: () => NOW });
  reader = { Authorization: `Bearer ${await h.token('reader', 'read')}` };
  admin = { Authorization: `Bearer ${await h.token('root', 'admin')}` };
});

afterAll(async () => {
  await h?.close();
});

const cursor = (json: string) => Buffer.from(json).toString('base64url');

/** A 4xx problem whose detail matches `detail`; the log has no stack for it. */
async function expectProblem(res: request.Response, status: number, detail: RegExp) {
  expect({ status: res.status, detail: (res.body as { detail?: string }).detail }).toEqual({
    status,
    detail: expect.stringMatching(detail),
  });
  expect(res.headers['content-type']).toMatch(PROBLEM);
}

describe('hostile time references get 400, never 500', () => {
  test.each([
    ['at', 'snapshot:2147483648', /at "snapshot:2147483648": no snapshot id is that large/],
    ['since', 'snapshot:9999999999', /since "snapshot:9999999999": no snapshot id is that large/],
    ['since', '99999999999999999999y', /since "99999999999999999999y": .*too far back/],
    ['at', '300000y', /at "300000y": .*too far back/],
    ['at', '2025-02-31', /at "2025-02-31": is not a valid date/],
    ['at', '2025-04-31T10:00:00Z', /is not a valid date/],
    ['at', '2024-02-30', /is not a valid date/],
    ['at', '+275760-09-13', /expected an ISO time/],
    ['at', '0000-01-01', /too far back/],
  ])('%s=%s', async (param, value, detail) => {
    const res = await request(app)
      .get('/api/v1/clusters/demo/who-can-reach')
      .query({ target: POSTGRES, [param]: value })
      .set(reader);
    await expectProblem(res, 400, detail);
  });

  test('diff from/to overflow', async () => {
    const res = await request(app)
      .get('/api/v1/clusters/demo/diff')
      .query({ from: 'snapshot:4294967296', to: 'snapshot:1' })
      .set(reader);
    await expectProblem(res, 400, /from "snapshot:4294967296": no snapshot id is that large/);
  });

  test('2024-02-29 (a leap day) is a real date', async () => {
    const res = await request(app)
      .get('/api/v1/clusters/demo/who-can-reach')
      .query({ target: POSTGRES, at: '2024-02-29' })
      .set(reader);
    await expectProblem(res, 400, /before the first snapshot/);
  });
});

describe('crafted cursors get 400', () => {
  test.each([
    ['snapshots 1e308', '/api/v1/clusters/demo/snapshots', '["snapshots",1e308]'],
    ['snapshots 1.5', '/api/v1/clusters/demo/snapshots', '["snapshots",1.5]'],
    ['snapshots negative', '/api/v1/clusters/demo/snapshots', '["snapshots",-1e30]'],
    ['clusters NUL', '/api/v1/clusters', '["clusters","\\u0000"]'],
    ['clusters number', '/api/v1/clusters', '["clusters",1e308]'],
  ])('%s', async (_name, path, json) => {
    const res = await request(app)
      .get(path)
      .query({ cursor: cursor(json) })
      .set(reader);
    await expectProblem(res, 400, /invalid cursor/);
  });
});

describe('NUL bytes and odd encodings get 400', () => {
  test('a NUL in a cluster path segment', async () => {
    const res = await request(app).get('/api/v1/clusters/de%00mo').set(reader);
    await expectProblem(res, 404, /not found/);
  });

  test('a NUL in a query value', async () => {
    const res = await request(app).get('/api/v1/clusters/demo/workloads').query({ namespace: 'd\u0000b' }).set(reader);
    expect(res.status).toBeLessThan(500);
  });

  test('a NUL in a JSON body (cluster name, token name)', async () => {
    for (const [path, body] of [
      ['/api/v1/clusters', { name: 'a\u0000b', source: { kind: 'kube', context: 'x' }, every: '5m' }],
      ['/api/v1/clusters', { name: 'ok', source: { kind: 'kube', context: 'x\u0000' }, every: '5m' }],
      ['/api/v1/tokens', { name: 'a\u0000b', scope: 'read' }],
      ['/api/v1/tokens', { name: 'ok', scope: 'read', cluster: 'de\u0000mo' }],
    ] as const) {
      const res = await request(app).post(path).send(body).set(admin);
      expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
      expect(res.headers['content-type']).toMatch(PROBLEM);
    }
  });

  test('%FF in a path says the path is not valid UTF-8', async () => {
    const res = await request(app).get('/api/v1/clusters/%FF').set(reader);
    await expectProblem(res, 400, /path .*percent-encoded/);
  });

  test('target[]=a says array syntax is not taken', async () => {
    const res = await request(app).get('/api/v1/clusters/demo/who-can-reach?target[]=a').set(reader);
    await expectProblem(res, 400, /target\[\]: brackets are not taken; give target=VALUE once/);
  });

  test('target=a&target=b says give it once', async () => {
    const res = await request(app).get('/api/v1/clusters/demo/who-can-reach?target=a&target=b').set(reader);
    await expectProblem(res, 400, /target: give it once/);
  });

  test('GraphQL arguments with NUL, overflowing ids and impossible dates', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['query($n: String!) { cluster(name: $n) { name } }', { n: 'de\u0000mo' }],
      [
        'query($t: String!, $at: String) { cluster(name: "demo") { whoCanReach(target: $t, at: $at) { snapshot { id } } } }',
        { t: 'db/post\u0000gres[StatefulSet]', at: null },
      ],
      [
        'query($t: String!, $at: String) { cluster(name: "demo") { whoCanReach(target: $t, at: $at) { snapshot { id } } } }',
        { t: POSTGRES, at: 'snapshot:2147483648' },
      ],
      [
        'query($t: String!, $at: String) { cluster(name: "demo") { whoCanReach(target: $t, at: $at) { snapshot { id } } } }',
        { t: POSTGRES, at: '2025-02-31' },
      ],
      [
        'query($after: String) { cluster(name: "demo") { snapshots(after: $after) { edges { cursor } } } }',
        { after: cursor('["snapshots",1e308]') },
      ],
      [
        'query($after: String) { clusters(after: $after) { edges { cursor } } }',
        { after: cursor('["clusters","\\u0000"]') },
      ],
    ];
    for (const [query, variables] of cases) {
      const res = await request(app).post('/graphql').send({ query, variables }).set(reader);
      const body = res.body as { errors?: { extensions?: { code?: string } }[] };
      expect({ variables, code: body.errors?.[0]?.extensions?.code }).toEqual({
        variables,
        code: expect.stringMatching(/^(BAD_USER_INPUT|NOT_FOUND)$/),
      });
    }
  });
});

test('nothing above reached the log as an internal error', () => {
  expect(h.logs.filter((l) => l.startsWith('error') || /internal/i.test(l))).toEqual([]);
});
