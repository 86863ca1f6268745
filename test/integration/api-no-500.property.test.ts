import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QUESTION_NAMES, QUESTIONS, restSegment, type QuestionName } from '../../api/services/questions.js';
import { replayTimeline } from '../../worker/demo/replay-timeline.js';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';

const DEMO_DIR = fileURLToPath(new URL('../../examples/demo', import.meta.url));
const NOW = new Date('2025-06-01T12:00:00.000Z');

let h: ApiHarness;
let app: Express;
let reader: { Authorization: string };

beforeAll(async () => {
  h = await createApiHarness();
  const demo = await h.clusters.add('demo', { kind: 'manifests', dir: DEMO_DIR }, 86_400);
  await replayTimeline(h.pool, demo.id, DEMO_DIR, NOW);
  app = await h.app({ now: () => NOW });
  reader = { Authorization: `Bearer ${await h.token('reader', 'read')}` };
});

afterAll(async () => {
  await h?.close();
});

/** Any text a URL can carry (well-formed UTF-16: NUL, controls and astral characters included). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const anyText = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !LONE_SURROGATE.test(s));
const digits = fc.stringMatching(/^\d{1,25}$/);

/** Text shaped like each argument, so that the parsers' deeper branches are reached too. */
const argumentText = fc.oneof(
  anyText,
  digits.map((d) => `snapshot:${d}`),
  fc.tuple(digits, fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w', 'y', 'years')).map(([d, u]) => `${d}${u}`),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.tuple(digits, fc.constantFrom('', '/TCP', '/udp', '/SCTP', '/x')).map(([d, p]) => `${d}${p}`),
  anyText.map((t) => `ns=${t}`),
  anyText.map((t) => `svc:${t}`),
  anyText.map((t) => `ip:${t}`),
  fc.constantFrom('db/postgres[StatefulSet]', 'ns=db:app=postgres', 'now', ''),
);

/** Cursors: random bytes, and JSON arrays tagged with a real list name holding any JSON value. */
const cursorText = fc.oneof(
  anyText,
  fc
    .tuple(
      fc.constantFrom('whoCanReach', 'whatCanReach', 'diff', 'workloads', 'policies', 'snapshots', 'clusters'),
      fc.array(fc.oneof(fc.jsonValue(), fc.double(), fc.string({ unit: 'binary' })), { maxLength: 3 }),
    )
    .map(([list, key]) => Buffer.from(JSON.stringify([list, ...key])).toString('base64url')),
);

type Asked = Record<string, string>;

function questionArgs(name: QuestionName) {
  const params = Object.keys(QUESTIONS[name].params);
  const paged = QUESTIONS[name].paged;
  return fc.record({
    args: fc.record(Object.fromEntries(params.map((p) => [p, argumentText])) as Record<string, fc.Arbitrary<string>>, {
      requiredKeys: [],
    }),
    limit: paged ? fc.option(fc.oneof(anyText, digits), { nil: undefined }) : fc.constant(undefined),
    cursor: paged ? fc.option(cursorText, { nil: undefined }) : fc.constant(undefined),
  });
}

describe('no argument of any question makes the API answer 500', () => {
  test.each(QUESTION_NAMES)('%s through REST: 2xx or 4xx problem+json, whatever the text', async (name) => {
    await fc.assert(
      fc.asyncProperty(questionArgs(name), async ({ args, limit, cursor }) => {
        const query: Asked = { ...args, ...(limit === undefined ? {} : { limit }), ...(cursor ? { cursor } : {}) };
        const res = await request(app)
          .get(`/api/v1/clusters/demo/${restSegment(name)}`)
          .query(query)
          .set(reader);
        expect(res.status, JSON.stringify({ query, body: res.body })).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 25 },
    );
  });

  test.each(QUESTION_NAMES)('%s through GraphQL: data or a client error code, never INTERNAL', async (name) => {
    const spec = QUESTIONS[name];
    const params = Object.keys(spec.params);
    const vars = [...params.map((p) => `$${p}: String`), ...(spec.paged ? ['$first: Int', '$after: String'] : [])];
    const args = [...params.map((p) => `${p}: $${p}`), ...(spec.paged ? ['first: $first', 'after: $after'] : [])];
    // Required arguments are declared nullable here so that leaving them out reaches the server's own check.
    const query = `query(${vars.join(', ')}) { cluster(name: "demo") { ${name}(${args.join(', ')}) { __typename } } }`;
    await fc.assert(
      fc.asyncProperty(questionArgs(name), fc.integer(), async ({ args: values, cursor }, first) => {
        const variables = { ...values, ...(spec.paged ? { first, after: cursor ?? null } : {}) };
        const res = await request(app).post('/graphql').set(reader).send({ query, variables });
        const body = res.body as { errors?: { extensions?: { code?: string } }[] };
        const codes = (body.errors ?? []).map((e) => e.extensions?.code);
        expect(
          codes.filter((c) => c === 'INTERNAL_SERVER_ERROR'),
          JSON.stringify({ variables, body }),
        ).toEqual([]);
        expect(res.status, JSON.stringify({ variables, body })).toBeLessThan(500);
      }),
      { numRuns: 25 },
    );
  });

  test('nothing reached Postgres that a parser should have refused', () => {
    expect(h.logs.filter((l) => /^(error|input refused by postgres|graphql: internal)/.test(l))).toEqual([]);
  });
});
