import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReachAnswer } from '../../api/services/query-service.js';
import { replayTimeline } from '../../worker/demo/replay-timeline.js';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';

const DEMO_DIR = fileURLToPath(new URL('../../examples/demo', import.meta.url));
/** The replay's "now" and the service's clock: snapshots are 28, 14, 5, 1 and ½ day(s) before it. */
const NOW = new Date('2025-06-01T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

const POSTGRES = 'db/postgres[StatefulSet]';
const REPORTS = 'analytics/reports[Deployment]';
const TCP_5432 = [{ protocol: 'TCP', ports: [[5432, 5432]] }];
const PROBLEM = /^application\/problem\+json/;

let h: ApiHarness;
let app: Express;
let auth: { Authorization: string };

beforeAll(async () => {
  h = await createApiHarness();
  const demo = await h.clusters.add('demo', { kind: 'manifests', dir: DEMO_DIR }, 86_400);
  await replayTimeline(h.pool, demo.id, DEMO_DIR, NOW);
  app = await h.app({ now: () => NOW });
  auth = { Authorization: `Bearer ${await h.token('reader', 'read')}` };
});

afterAll(async () => {
  await h?.close();
});

function whoCanReach(query: Record<string, string>) {
  return request(app).get('/api/v1/clusters/demo/who-can-reach').query(query).set(auth);
}

describe('GET /api/v1/clusters/demo/who-can-reach on the demo timeline', () => {
  test('the database is reachable from analytics and from outside addresses on TCP 5432', async () => {
    const res = await whoCanReach({ target: POSTGRES, port: '5432/TCP' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const answer = res.body as ReachAnswer;
    expect(answer.snapshot).toMatchObject({ takenAt: daysAgo(0.5) });
    expect(answer.resolved.workloads).toEqual([POSTGRES]);
    const reports = answer.entries.items.find((e) => e.src === REPORTS);
    expect(reports).toMatchObject({ dst: POSTGRES, allowed: TCP_5432, since: { takenAt: daysAgo(5) } });
    const outside = answer.entries.items.filter((e) => e.src.startsWith('ip:'));
    expect(outside.length).toBeGreaterThan(0);
    for (const e of outside) expect(e.allowed).toEqual(TCP_5432);
    expect(answer.changes).toBeUndefined();
  });

  test('since=7d lists them as added, caused by NetworkPolicy db/postgres-debug-access', async () => {
    const res = await whoCanReach({ target: POSTGRES, since: '7d' }).expect(200);
    const changes = (res.body as ReachAnswer).changes!;
    const added = changes.filter((c) => c.src === REPORTS || c.src.startsWith('ip:'));
    expect(added.map((c) => c.src)).toContain(REPORTS);
    expect(added.some((c) => c.src.startsWith('ip:'))).toBe(true);
    for (const c of added) {
      expect(c).toMatchObject({ change: 'added', dst: POSTGRES, before: [], after: TCP_5432, takenAt: daysAgo(5) });
      expect(c.causes).toContainEqual(
        expect.objectContaining({ kind: 'NetworkPolicy', key: 'db/postgres-debug-access' }),
      );
    }
  });

  test('pages: limit and cursor walk the same entries', async () => {
    const all = (await whoCanReach({ target: POSTGRES }).expect(200)).body as ReachAnswer;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { target: POSTGRES, limit: '2', ...(cursor ? { cursor } : {}) };
      const page = (await whoCanReach(query).expect(200)).body as ReachAnswer;
      expect(page.entries.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.items.map((e) => e.src));
      cursor = page.entries.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.entries.items.map((e) => e.src));
  });
});

describe('bad input is a 400 problem naming what is wrong', () => {
  async function bad(query: Record<string, string>, detail: RegExp) {
    const res = await whoCanReach(query).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    expect(res.body.detail).toMatch(detail);
  }

  test('a malformed selector names the position', async () => {
    await bad({ target: 'ns=db:app in (a' }, /^target .*at position 16: /);
    await bad({ target: 'ns=db:app=web,,tier=db' }, /at position \d+/);
  });

  test('a time in the future', async () => {
    await bad({ target: POSTGRES, at: '2030-01-01T00:00:00Z' }, /^at "2030-01-01T00:00:00Z": is in the future/);
    await bad({ target: POSTGRES, since: '2031-01-01' }, /^since .*is in the future/);
  });

  test('a malformed port or time', async () => {
    await bad({ target: POSTGRES, port: '99999/TCP' }, /^port /);
    await bad({ target: POSTGRES, at: 'yesterday-ish' }, /^at /);
  });

  test('label values with quotes, unicode or 10k characters do not crash', async () => {
    for (const value of [`"it's"`, '☃ü€😀', 'a\'b"c\\d', 'x'.repeat(1_000), '\u0000\u202e']) {
      const res = await whoCanReach({ target: `ns=db:app=${value}` });
      expect([400, 404], value.slice(0, 20)).toContain(res.status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    }
    // 10k characters: over the URI limit, refused before anything parses it.
    const huge = await whoCanReach({ target: `ns=db:app=${'v'.repeat(10_000)}` });
    expect(huge.status).toBe(414);
    expect(huge.headers['content-type']).toMatch(PROBLEM);
    // Long but under the URI limit (6 KB encoded): the selector parser refuses it.
    const longUnicode = await request(app)
      .get('/api/v1/clusters/demo/matrix')
      .query({ selector: `ns=db:app=${'☃'.repeat(700)}` })
      .set(auth);
    expect(longUnicode.status).toBe(400);
  });

  test('an unknown cluster or workload: 404 or 400, never 500', async () => {
    const res = await request(app).get('/api/v1/clusters/nope/who-can-reach').query({ target: POSTGRES }).set(auth);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    const unknown = await whoCanReach({ target: 'db/nothing[Deployment]' });
    expect([400, 404]).toContain(unknown.status);
  });
});

describe('the other questions answer over REST', () => {
  test.each([
    ['/what-can-reach', { source: REPORTS }],
    ['/diff', { from: '7d' }],
    ['/explain', { src: REPORTS, dst: POSTGRES, port: '5432/TCP' }],
    ['/exposure', {}],
    ['/workloads', { namespace: 'db' }],
    ['/policies', {}],
    ['/matrix', { namespace: 'db' }],
    ['/snapshots', {}],
    ['', {}],
  ])('GET /clusters/demo%s', async (path, query) => {
    const res = await request(app).get(`/api/v1/clusters/demo${path}`).query(query).set(auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  test('explain says why analytics reaches the database', async () => {
    const res = await request(app)
      .get('/api/v1/clusters/demo/explain')
      .query({ src: REPORTS, dst: POSTGRES, port: '5432/TCP' })
      .set(auth)
      .expect(200);
    expect(res.body).toMatchObject({ verdict: 'allowed', probe: { port: 5432, allowed: true } });
    expect(res.body.text).toContain('postgres-debug-access');
  });
});
