import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createRedis } from '../../store/queue/redis-connection.js';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';
import { freePort } from '../support/free-port.js';

let h: ApiHarness;
let valid: { Authorization: string };
const wrong = { Authorization: 'Bearer rl_not-a-token-anyone-holds' };
const failedAuth = { windowMs: 60_000, limit: 3 };

beforeAll(async () => {
  h = await createApiHarness();
  valid = { Authorization: `Bearer ${await h.token('reader', 'read')}` };
});

beforeEach(async () => {
  const keys = await h.redis.keys('reachlog:rate:auth-failed:*');
  if (keys.length) await h.redis.del(...keys);
});

afterAll(async () => {
  await h?.close();
});

describe('failed authentication is limited per client address', () => {
  test('past the limit every request from the address is 429, a valid token too: a right guess looks like a wrong one', async () => {
    const app = await h.app({ limits: { failedAuth } });
    for (let i = 0; i < 3; i++) await request(app).get('/api/v1/clusters').set(wrong).expect(401);
    const res = await request(app).get('/api/v1/clusters').set(wrong).expect(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'RATE_LIMITED',
      detail: expect.stringMatching(/invalid token from this address/),
    });
    await request(app).get('/api/v1/clusters').set(valid).expect(429);
    await request(app).post('/graphql').set(wrong).send({ query: '{ __typename }' }).expect(429);
    await request(app).get('/healthz').expect(200);
  });

  test('requests with a valid token do not count', async () => {
    const app = await h.app({ limits: { failedAuth } });
    for (let i = 0; i < 10; i++) await request(app).get('/api/v1/clusters').set(valid).expect(200);
    for (let i = 0; i < 3; i++) await request(app).get('/api/v1/clusters').expect(401);
    await request(app).get('/api/v1/clusters').expect(429);
  });

  test('API replicas count against one limit: the counts are in Redis', async () => {
    const [one, two] = [await h.app({ limits: { failedAuth } }), await h.app({ limits: { failedAuth } })];
    await request(one).get('/api/v1/clusters').set(wrong).expect(401);
    await request(two).get('/api/v1/clusters').set(wrong).expect(401);
    await request(one).get('/api/v1/clusters').set(wrong).expect(401);
    await request(two).get('/api/v1/clusters').set(wrong).expect(429);
    expect(await h.redis.keys('reachlog:rate:auth-failed:*')).toHaveLength(1);
  });

  test('X-Forwarded-For is ignored unless proxies are trusted, and then names the address counted', async () => {
    const direct = await h.app({ limits: { failedAuth } });
    for (let i = 0; i < 3; i++) {
      await request(direct).get('/api/v1/clusters').set(wrong).set('X-Forwarded-For', `198.51.100.${i}`).expect(401);
    }
    await request(direct).get('/api/v1/clusters').set(wrong).set('X-Forwarded-For', '198.51.100.9').expect(429);

    const proxied = await h.app({ limits: { failedAuth }, trustProxyHops: 1 });
    const from = (address: string) =>
      request(proxied).get('/api/v1/clusters').set(wrong).set('X-Forwarded-For', address);
    for (let i = 0; i < 3; i++) await from('203.0.113.7').expect(401);
    await from('203.0.113.7').expect(429);
    await from('203.0.113.8').expect(401);
  });

  test('Redis down: like the per-token limit, requests pass (401 stays 401) and the log says why', async () => {
    const down = createRedis(`redis://127.0.0.1:${await freePort()}`);
    down.on('error', () => undefined);
    try {
      const app = await h.app({ redis: down, limits: { failedAuth: { windowMs: 60_000, limit: 1 } } });
      for (let i = 0; i < 3; i++) await request(app).get('/api/v1/clusters').set(wrong).expect(401);
      await request(app).get('/api/v1/clusters').set(valid).expect(200);
      expect(h.logs.some((l) => /^failed-auth limit: .*redis not connected/.test(l))).toBe(true);
    } finally {
      down.disconnect();
    }
  });
});
