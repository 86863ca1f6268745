import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { ServiceError, type ServiceErrorCode } from '../../api/services/query-service.js';
import { fakeApp, fakeQueryService } from '../support/fake-query-service.js';

const AUTH = { Authorization: 'Bearer rl_test-admin-secret' };
const PROBLEM = /^application\/problem\+json/;

describe('the HTTP edge (over a fake QueryService)', () => {
  test.each<[ServiceErrorCode, number]>([
    ['BAD_USER_INPUT', 400],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
  ])('ServiceError %s is %i problem+json', async (code, status) => {
    const app = await fakeApp({
      exposure: async () => {
        throw new ServiceError(code, 'said the service');
      },
    });
    const res = await request(app).get('/api/v1/clusters/demo/exposure').set(AUTH).expect(status);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status, code, detail: 'said the service' });
    expect(res.body.type).toMatch(/^urn:reachlog:problem:/);
    if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  test('an unexpected error is a 500 that says nothing of internals; the log has it, redacted', async () => {
    const logs: string[] = [];
    const app = await fakeApp(
      {
        exposure: async () => {
          throw new Error('connect postgresql://app:s3cret@db/reachlog failed');
        },
      },
      { log: (line) => logs.push(line) },
    );
    const res = await request(app).get('/api/v1/clusters/demo/exposure').set(AUTH).expect(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL', detail: 'an internal error occurred; it has been logged' });
    expect(JSON.stringify(res.body)).not.toContain('s3cret');
    const logged = logs.join('\n');
    expect(logged).toContain('postgresql://[redacted]@db/reachlog');
    expect(logged).not.toContain('s3cret');
    expect(logged).not.toContain('rl_test-admin-secret');
  });

  test('a request past the timeout is 503 problem+json; the late answer is dropped', async () => {
    let finished = false;
    const app = await fakeApp(
      {
        exposure: async (p, q) => {
          await sleep(300);
          finished = true;
          return fakeQueryService().exposure(p, q);
        },
      },
      { limits: { timeoutMs: 50 } },
    );
    const res = await request(app).get('/api/v1/clusters/demo/exposure').set(AUTH).expect(503);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ code: 'TIMEOUT', status: 503 });
    await sleep(400);
    expect(finished).toBe(true);
  });

  test('parameters reach the service as given, and only those given', async () => {
    let seen: unknown;
    const app = await fakeApp({
      whoCanReach: async (p, q) => {
        seen = q;
        return fakeQueryService().whoCanReach(p, q);
      },
    });
    await request(app)
      .get('/api/v1/clusters/prod/who-can-reach')
      .query({ target: 'ns=db:app in (a,"b")', since: '7d', limit: '5' })
      .set(AUTH)
      .expect(200);
    expect(seen).toEqual({ cluster: 'prod', target: 'ns=db:app in (a,"b")', since: '7d', page: { limit: 5 } });
    const missing = await request(app).get('/api/v1/clusters/prod/who-can-reach').set(AUTH).expect(400);
    expect(missing.body.detail).toBe('query parameter target is required');
  });

  test('/readyz names each failing check', async () => {
    const app = await fakeApp(
      {},
      {
        readiness: {
          postgres: async () => undefined,
          redis: async () => {
            throw new Error('connect ECONNREFUSED 127.0.0.1:1');
          },
        },
      },
    );
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toMatchObject({
      code: 'NOT_READY',
      detail: 'redis: connect ECONNREFUSED 127.0.0.1:1',
      checks: { postgres: 'ok', redis: 'connect ECONNREFUSED 127.0.0.1:1' },
    });
  });
});
