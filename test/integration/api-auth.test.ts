import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRedis } from '../../store/queue/redis-connection.js';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';
import { freePort } from '../support/free-port.js';

let h: ApiHarness;
let app: Express;
const secrets: Record<string, string> = {};

const PROBLEM = /^application\/problem\+json/;

beforeAll(async () => {
  h = await createApiHarness();
  await h.clusters.add('prod', { kind: 'kube', context: 'prod' }, 300);
  await h.clusters.add('staging', { kind: 'kube', context: 'staging' }, 300);
  secrets.admin = await h.token('admin', 'admin');
  secrets.reader = await h.token('reader', 'read');
  secrets.prodReader = await h.token('prod-reader', 'read', 'prod');
  secrets.prodAdmin = await h.token('prod-admin', 'admin', 'prod');
  app = await h.app({ manifestsRoot: '/srv' });
});

afterAll(async () => {
  // No secret, in any request or answer, ever reaches a log line.
  if (h) for (const secret of Object.values(secrets)) expect(h.logs.join('\n')).not.toContain(secret);
  await h?.close();
});

const as = (who: string) => ({ Authorization: `Bearer ${secrets[who]}` });

describe('probes', () => {
  test('/healthz answers without a token', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('/readyz checks Postgres and Redis', async () => {
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  test('/readyz is 503 naming Redis when Redis is unreachable', async () => {
    const down = createRedis(`redis://127.0.0.1:${await freePort()}`);
    down.on('error', () => undefined);
    try {
      const res = await request(await h.app({ redis: down }))
        .get('/readyz')
        .expect(503);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 503, code: 'NOT_READY', checks: { postgres: 'ok' } });
      expect(res.body.checks.redis).not.toBe('ok');
      expect(res.body.detail).toMatch(/^redis: /);
    } finally {
      down.disconnect();
    }
  });
});

describe('authentication', () => {
  test('no token: 401 problem+json with WWW-Authenticate: Bearer', async () => {
    const res = await request(app).get('/api/v1/clusters').expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toEqual({
      type: 'urn:reachlog:problem:unauthenticated',
      title: 'Unauthenticated',
      status: 401,
      detail: expect.any(String),
      code: 'UNAUTHENTICATED',
    });
  });

  test('an unknown token, a malformed header and GraphQL without a token: 401', async () => {
    await request(app).get('/api/v1/clusters').set('Authorization', 'Bearer rl_notatoken').expect(401);
    await request(app).get('/api/v1/clusters').set('Authorization', `Basic ${secrets.reader}`).expect(401);
    await request(app).post('/graphql').send({ query: '{ __typename }' }).expect(401);
  });

  test('a revoked token: 401, and its use was recorded before', async () => {
    const secret = await h.token('soon-revoked', 'read');
    await request(app).get('/api/v1/clusters').set('Authorization', `Bearer ${secret}`).expect(200);
    expect((await h.tokens.findActiveByName('soon-revoked'))?.lastUsedAt).toBeInstanceOf(Date);
    await h.tokens.revoke('soon-revoked');
    const res = await request(app).get('/api/v1/clusters').set('Authorization', `Bearer ${secret}`).expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

describe('scopes and cluster restriction', () => {
  test('a read token may not register clusters, trigger snapshots or manage tokens: 403', async () => {
    const body = { name: 'x', source: { kind: 'kube' }, every: '5m' };
    const res = await request(app).post('/api/v1/clusters').set(as('reader')).send(body).expect(403);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    await request(app).post('/api/v1/clusters/prod/snapshots').set(as('reader')).expect(403);
    await request(app).get('/api/v1/tokens').set(as('reader')).expect(403);
    await request(app).delete('/api/v1/tokens/admin').set(as('reader')).expect(403);
  });

  test('a token bound to prod sees only prod; staging is 404 and absent from lists', async () => {
    const list = await request(app).get('/api/v1/clusters').set(as('prodReader')).expect(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['prod']);
    const all = await request(app).get('/api/v1/clusters').set(as('reader')).expect(200);
    expect(all.body.items.map((c: { name: string }) => c.name)).toEqual(['prod', 'staging']);
    for (const path of ['', '/snapshots', '/who-can-reach?target=db/postgres[StatefulSet]', '/exposure']) {
      const res = await request(app).get(`/api/v1/clusters/staging${path}`).set(as('prodReader')).expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', detail: 'cluster "staging" not found' });
    }
    // Exactly what a cluster that does not exist answers.
    const missing = await request(app).get('/api/v1/clusters/nope').set(as('reader')).expect(404);
    expect(missing.body.detail).toBe('cluster "nope" not found');
    await request(app).post('/api/v1/clusters/staging/snapshots').set(as('prodAdmin')).expect(404);
  });

  test('an admin bound to a cluster may not register clusters or manage tokens', async () => {
    await request(app).get('/api/v1/tokens').set(as('prodAdmin')).expect(403);
    await request(app)
      .post('/api/v1/clusters')
      .set(as('prodAdmin'))
      .send({ name: 'x', source: { kind: 'kube' }, every: '5m' })
      .expect(403);
  });
});

describe('GraphQL at /graphql, behind the same auth', () => {
  const query = { query: '{ clusters { edges { node { name } } } }' };
  const names = (body: { data: { clusters: { edges: { node: { name: string } }[] } } }) =>
    body.data.clusters.edges.map((e) => e.node.name);

  test('answers with the token, scoped to its clusters', async () => {
    const all = await request(app).post('/graphql').set(as('reader')).send(query).expect(200);
    expect(names(all.body)).toEqual(['prod', 'staging']);
    const prod = await request(app).post('/graphql').set(as('prodReader')).send(query).expect(200);
    expect(names(prod.body)).toEqual(['prod']);
    const hidden = await request(app)
      .post('/graphql')
      .set(as('prodReader'))
      .send({ query: '{ cluster(name: "staging") { name } }' });
    expect(hidden.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  test('a revoked or missing token: 401 problem+json before GraphQL runs', async () => {
    const res = await request(app).post('/graphql').send(query).expect(401);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });
});

describe('admin operations', () => {
  test('register a cluster: stored, scheduled, visible', async () => {
    const res = await request(app)
      .post('/api/v1/clusters')
      .set(as('admin'))
      .send({ name: 'dev', source: { kind: 'kube', context: 'dev-ctx' }, every: '10m' })
      .expect(201);
    expect(res.body).toMatchObject({
      name: 'dev',
      source: 'kube:dev-ctx',
      everySeconds: 600,
      paused: false,
      lastSnapshot: null,
    });
    const dev = await h.clusters.findByName('dev');
    const schedulers = await h.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain(`cluster-${dev!.id}`);
    const again = await request(app)
      .post('/api/v1/clusters')
      .set(as('admin'))
      .send({ name: 'dev', source: { kind: 'kube' }, every: '10m' })
      .expect(400);
    expect(again.body.detail).toMatch(/already registered/);
  });

  test('register with bad input: 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'has space', source: { kind: 'kube' }, every: '5m' }, /^name "has space": expected 1-63 letters/],
      [{ name: 'ok', source: { kind: 'ftp' }, every: '5m' }, /^source:/],
      [{ name: 'ok', source: { kind: 'kube' }, every: '1s' }, /^every "1s": expected a duration of at least 10s/],
      [[1, 2], /^name is missing: expected/],
    ];
    for (const [body, detail] of cases) {
      const res = await request(app)
        .post('/api/v1/clusters')
        .set(as('admin'))
        .send(body as object)
        .expect(400);
      expect(res.body.detail).toMatch(detail);
    }
  });

  test('trigger a snapshot: 202 with the queued job', async () => {
    const res = await request(app).post('/api/v1/clusters/prod/snapshots').set(as('admin')).expect(202);
    const job = await h.queue.getJob(res.body.jobId);
    expect(job?.data).toEqual({ clusterId: (await h.clusters.findByName('prod'))!.id });
    await request(app).post('/api/v1/clusters/prod/snapshots').set(as('prodAdmin')).expect(202);
  });

  test('tokens: create (secret once), list (no secrets), revoke', async () => {
    const created = await request(app)
      .post('/api/v1/tokens')
      .set(as('admin'))
      .send({ name: 'dashboard', scope: 'read', cluster: 'prod' })
      .expect(201);
    expect(created.body.secret).toMatch(/^rl_[A-Za-z0-9_-]{43}$/);
    expect(created.body.token).toMatchObject({ name: 'dashboard', scope: 'read', cluster: 'prod', lastUsedAt: null });
    secrets.dashboard = created.body.secret;
    await request(app).get('/api/v1/clusters/prod').set(as('dashboard')).expect(200);

    const list = await request(app).get('/api/v1/tokens').set(as('admin')).expect(200);
    expect(list.body.items.map((t: { name: string }) => t.name)).toContain('dashboard');
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(created.body.secret);
    expect(text).not.toMatch(/hash/i);

    await request(app).post('/api/v1/tokens').set(as('admin')).send({ name: 'dashboard', scope: 'read' }).expect(400);
    await request(app).post('/api/v1/tokens').set(as('admin')).send({ name: 'x', scope: 'root' }).expect(400);
    await request(app)
      .post('/api/v1/tokens')
      .set(as('admin'))
      .send({ name: 'x', scope: 'read', cluster: 'nope' })
      .expect(400);

    await request(app).delete('/api/v1/tokens/dashboard').set(as('admin')).expect(204);
    await request(app).get('/api/v1/clusters/prod').set(as('dashboard')).expect(401);
    await request(app).delete('/api/v1/tokens/dashboard').set(as('admin')).expect(404);
  });
});

describe('request limits', () => {
  test('a body over 64 kb: 413 problem+json', async () => {
    const res = await request(app)
      .post('/api/v1/tokens')
      .set(as('admin'))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'big', scope: 'read', padding: 'x'.repeat(100_000) }))
      .expect(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('malformed JSON: 400', async () => {
    const res = await request(app)
      .post('/api/v1/tokens')
      .set(as('admin'))
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.body).toMatchObject({ code: 'BAD_USER_INPUT', detail: 'the request body is not valid JSON' });
  });

  test('a query string over 8 KiB: 414 problem+json', async () => {
    const res = await request(app)
      .get(`/api/v1/clusters/prod/who-can-reach?target=${'a'.repeat(9_000)}`)
      .set(as('reader'))
      .expect(414);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('URI_TOO_LONG');
  });

  test('unknown or repeated query parameters, a bad limit: 400 naming them', async () => {
    const unknown = await request(app).get('/api/v1/clusters?sinse=7d').set(as('reader')).expect(400);
    expect(unknown.body.detail).toMatch(/unknown query parameter sinse/);
    const twice = await request(app)
      .get('/api/v1/clusters/prod/snapshots?limit=1&limit=2')
      .set(as('reader'))
      .expect(400);
    expect(twice.body.detail).toMatch(/limit: give it once/);
    const zero = await request(app).get('/api/v1/clusters?limit=0').set(as('reader')).expect(400);
    expect(zero.body.detail).toMatch(/limit "0"/);
  });

  test('an unrouted path: 404 problem+json', async () => {
    const res = await request(app).get('/api/v1/nothing-here').set(as('reader')).expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.detail).toBe('no route GET /api/v1/nothing-here');
  });

  test('rate limit per token: 429 problem+json past the limit, other tokens unaffected', async () => {
    secrets.limited = await h.token('limited', 'read');
    secrets.bystander = await h.token('bystander', 'read');
    const limited = await h.app({ limits: { rate: { windowMs: 60_000, limit: 3 } } });
    for (let i = 0; i < 3; i++) await request(limited).get('/api/v1/clusters').set(as('limited')).expect(200);
    const res = await request(limited).get('/api/v1/clusters').set(as('limited')).expect(429);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(res.headers['retry-after']).toBeDefined();
    await request(limited).get('/api/v1/clusters').set(as('bystander')).expect(200);
    // GraphQL counts against the same budget.
    await request(limited).post('/graphql').set(as('limited')).send({ query: '{ __typename }' }).expect(429);
    // Probes are never limited.
    await request(limited).get('/healthz').expect(200);
  });

  test('API replicas count against one limit: the counts are in Redis', async () => {
    secrets.shared = await h.token('shared', 'read');
    const rate = { windowMs: 60_000, limit: 3 };
    const [one, two] = [await h.app({ limits: { rate } }), await h.app({ limits: { rate } })];
    await request(one).get('/api/v1/clusters').set(as('shared')).expect(200);
    await request(two).get('/api/v1/clusters').set(as('shared')).expect(200);
    await request(one).get('/api/v1/clusters').set(as('shared')).expect(200);
    await request(two).get('/api/v1/clusters').set(as('shared')).expect(429);
    const keys = await h.redis.keys('reachlog:rate:*');
    expect(keys.length).toBeGreaterThan(0);
  });

  test('Redis down: queries are still answered, not rate-limited, and the log says why', async () => {
    secrets.unlimited = await h.token('unlimited', 'read');
    const down = createRedis(`redis://127.0.0.1:${await freePort()}`);
    down.on('error', () => undefined);
    try {
      const app = await h.app({ redis: down, limits: { rate: { windowMs: 60_000, limit: 1 } } });
      for (let i = 0; i < 3; i++) await request(app).get('/api/v1/clusters').set(as('unlimited')).expect(200);
      expect(h.logs.some((l) => /^rate limit: .*redis not connected/.test(l))).toBe(true);
    } finally {
      down.disconnect();
    }
  });
});

describe('admin actions as GraphQL mutations, through the same admin service', () => {
  const gql = async (who: string, query: string, variables?: Record<string, unknown>) =>
    (await request(app).post('/graphql').set(as(who)).send({ query, variables }).expect(200)).body as {
      data: Record<string, unknown> | null;
      errors?: { message: string; extensions: { code: string } }[];
    };
  const REGISTER = `mutation R($name: String!, $every: String!) {
    registerCluster(name: $name, source: { kind: "manifests", dir: "/srv/manifests" }, every: $every) {
      name source everySeconds paused
    }
  }`;

  test('the same scopes and cluster limits as REST', async () => {
    const denied = async (who: string, query: string, code: string) => {
      const body = await gql(who, query, { name: 'nope', every: '5m' });
      expect(body.errors?.[0]?.extensions.code, `${who}: ${query}`).toBe(code);
    };
    await denied('reader', REGISTER, 'FORBIDDEN');
    await denied('prodAdmin', REGISTER, 'FORBIDDEN');
    await denied('reader', 'mutation { triggerSnapshot(cluster: "prod") { jobId } }', 'FORBIDDEN');
    await denied('prodAdmin', 'mutation { triggerSnapshot(cluster: "staging") { jobId } }', 'NOT_FOUND');
    await denied('prodAdmin', '{ tokens { name } }', 'FORBIDDEN');
    await denied('reader', 'mutation { createToken(name: "x", scope: READ) { secret } }', 'FORBIDDEN');
    await denied('prodAdmin', 'mutation { revokeToken(name: "reader") }', 'FORBIDDEN');
    expect(await h.clusters.findByName('nope')).toBeFalsy();
  });

  test('register a cluster: stored and scheduled; bad arguments are refused with the shared words', async () => {
    const body = await gql('admin', REGISTER, { name: 'gql-dev', every: '5m' });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      registerCluster: { name: 'gql-dev', source: 'manifests:/srv/manifests', everySeconds: 300, paused: false },
    });
    const stored = await h.clusters.findByName('gql-dev');
    expect((await h.queue.getJobSchedulers()).map((s) => s.key)).toContain(`cluster-${stored!.id}`);

    const badName = await gql('admin', REGISTER, { name: 'has space', every: '5m' });
    expect(badName.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^name "has space": expected 1-63 letters/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const badEvery = await gql('admin', REGISTER, { name: 'eager', every: '1s' });
    expect(badEvery.errors?.[0]?.message).toMatch(/^every "1s": expected a duration of at least 10s/);
  });

  test('trigger a snapshot, then create, list and revoke a token', async () => {
    const job = await gql('admin', 'mutation { triggerSnapshot(cluster: "prod") { jobId } }');
    const jobId = (job.data as { triggerSnapshot: { jobId: string } }).triggerSnapshot.jobId;
    expect(await h.queue.getJob(jobId)).toBeTruthy();

    const created = await gql(
      'admin',
      'mutation { createToken(name: "gql-ci", scope: READ, cluster: "prod") { token { name scope cluster } secret } }',
    );
    const { token, secret } = (created.data as { createToken: { token: unknown; secret: string } }).createToken;
    expect(token).toEqual({ name: 'gql-ci', scope: 'READ', cluster: 'prod' });
    secrets.gqlCi = secret;
    const seen = await request(app).get('/api/v1/clusters').set(as('gqlCi')).expect(200);
    expect(seen.body.items.map((c: { name: string }) => c.name)).toEqual(['prod']);

    const listed = await gql('admin', '{ tokens { name scope } }');
    expect((listed.data as { tokens: { name: string }[] }).tokens).toContainEqual({ name: 'gql-ci', scope: 'READ' });

    expect((await gql('admin', 'mutation { revokeToken(name: "gql-ci") }')).data).toEqual({ revokeToken: true });
    await request(app).get('/api/v1/clusters').set(as('gqlCi')).expect(401);
    const again = await gql('admin', 'mutation { revokeToken(name: "gql-ci") }');
    expect(again.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });
});

describe('pause, resume and remove a cluster, over REST and GraphQL', () => {
  const schedulerKeys = async () => (await h.queue.getJobSchedulers()).map((s) => s.key);
  const idOf = async (name: string) => (await h.clusters.findByName(name))!.id;

  test('the admin scope, a global admin to remove, and clusters the token may see', async () => {
    await request(app).patch('/api/v1/clusters/prod').set(as('reader')).send({ paused: true }).expect(403);
    await request(app).delete('/api/v1/clusters/prod').set(as('reader')).expect(403);
    const bound = await request(app).delete('/api/v1/clusters/prod').set(as('prodAdmin')).expect(403);
    expect(bound.body.detail).toBe('token prod-admin is bound to a cluster: it may not remove clusters');
    const hidden = await request(app)
      .patch('/api/v1/clusters/staging')
      .set(as('prodAdmin'))
      .send({ paused: true })
      .expect(404);
    expect(hidden.body.detail).toBe('cluster "staging" not found');
    const missing = await request(app).delete('/api/v1/clusters/nope').set(as('admin')).expect(404);
    expect(missing.body.detail).toBe('cluster "nope" not found');
    await request(app).patch('/api/v1/clusters/nope').set(as('admin')).send({ paused: true }).expect(404);
    const badBody = await request(app).patch('/api/v1/clusters/prod').set(as('admin')).send({ paused: 'yes' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.detail).toBe('paused: true or false');
    const badPurge = await request(app).delete('/api/v1/clusters/prod?purge=maybe').set(as('admin')).expect(400);
    expect(badPurge.body.detail).toMatch(/^query parameter purge "maybe"/);
    expect((await h.clusters.findByName('prod'))?.paused).toBe(false);
  });

  test('pause drops the schedule, resume restores it; an admin bound to the cluster may', async () => {
    const paused = await request(app)
      .patch('/api/v1/clusters/prod')
      .set(as('prodAdmin'))
      .send({ paused: true })
      .expect(200);
    expect(paused.body).toMatchObject({ name: 'prod', paused: true });
    const prod = await idOf('prod');
    expect(await schedulerKeys()).not.toContain(`cluster-${prod}`);
    await request(app).patch('/api/v1/clusters/prod').set(as('admin')).send({ paused: false }).expect(200);
    expect(await schedulerKeys()).toContain(`cluster-${prod}`);
    expect((await h.clusters.findByName('prod'))?.paused).toBe(false);
  });

  test('remove hides and unschedules, keeping history; purge deletes the row', async () => {
    for (const name of ['doomed', 'purged']) {
      await request(app)
        .post('/api/v1/clusters')
        .set(as('admin'))
        .send({ name, source: { kind: 'kube' }, every: '5m' })
        .expect(201);
    }
    const doomed = await idOf('doomed');
    const purged = await idOf('purged');
    await request(app).delete('/api/v1/clusters/doomed').set(as('admin')).expect(204);
    await request(app).delete('/api/v1/clusters/purged?purge=true').set(as('admin')).expect(204);
    await request(app).get('/api/v1/clusters/doomed').set(as('admin')).expect(404);
    const list = await request(app).get('/api/v1/clusters').set(as('admin')).expect(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).not.toContain('doomed');
    expect(await schedulerKeys()).not.toContain(`cluster-${doomed}`);
    expect(await schedulerKeys()).not.toContain(`cluster-${purged}`);
    const { rows } = await h.pool.query(
      'SELECT id, removed_at IS NOT NULL AS removed FROM cluster WHERE id = ANY($1)',
      [[doomed, purged]],
    );
    expect(rows).toEqual([{ id: doomed, removed: true }]);
  });

  test('GraphQL setClusterPaused and removeCluster: the same checks and effects', async () => {
    const gql = async (who: string, query: string) =>
      (await request(app).post('/graphql').set(as(who)).send({ query }).expect(200)).body as {
        data: Record<string, unknown> | null;
        errors?: { message: string; extensions: { code: string } }[];
      };
    const codeOf = async (who: string, query: string) => (await gql(who, query)).errors?.[0]?.extensions.code;
    expect(await codeOf('reader', 'mutation { setClusterPaused(cluster: "prod", paused: true) { paused } }')).toBe(
      'FORBIDDEN',
    );
    expect(
      await codeOf('prodAdmin', 'mutation { setClusterPaused(cluster: "staging", paused: true) { paused } }'),
    ).toBe('NOT_FOUND');
    expect(await codeOf('prodAdmin', 'mutation { removeCluster(cluster: "prod") }')).toBe('FORBIDDEN');
    expect(await codeOf('admin', 'mutation { removeCluster(cluster: "nope") }')).toBe('NOT_FOUND');

    const paused = await gql(
      'admin',
      'mutation { setClusterPaused(cluster: "staging", paused: true) { name paused } }',
    );
    expect(paused.data).toEqual({ setClusterPaused: { name: 'staging', paused: true } });
    expect((await h.clusters.findByName('staging'))?.paused).toBe(true);
    await gql('admin', 'mutation { setClusterPaused(cluster: "staging", paused: false) { paused } }');

    await h.clusters.add('gql-doomed', { kind: 'kube' }, 300);
    const gone = await idOf('gql-doomed');
    expect((await gql('admin', 'mutation { removeCluster(cluster: "gql-doomed", purge: true) }')).data).toEqual({
      removeCluster: true,
    });
    expect((await h.pool.query('SELECT 1 FROM cluster WHERE id = $1', [gone])).rowCount).toBe(0);
  });
});
