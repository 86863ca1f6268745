import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRedis } from '../../store/queue/redis-connection.js';
import { startWorker, type RunningWorker } from '../../worker/queue/run-worker.js';
import { startStatusServer, type RunningStatusServer } from '../../worker/status/status-server.js';
import { storeChecks } from '../../store/readiness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { claimTestRedis, type TestRedis } from '../support/test-redis.js';
import { freePort } from '../support/free-port.js';
import { saveEnv } from '../support/saved-env.js';

let db: TestDatabase;
let redis: TestRedis;
let worker: RunningWorker;
let status: RunningStatusServer;
const savedEnv = saveEnv(['DATABASE_URL', 'REDIS_URL']);

const get = (s: RunningStatusServer, path: string) => fetch(`http://127.0.0.1:${s.port}${path}`);

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), claimTestRedis()]);
  // startWorker reads these, as in production.
  Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL: redis.url });
  worker = await startWorker({ log: () => undefined });
  status = await startStatusServer({ port: 0, host: '127.0.0.1', readiness: worker.readiness });
}, 60_000);

afterAll(async () => {
  await status?.close();
  await worker?.close();
  await redis?.release();
  await db?.drop();
  savedEnv.restore();
});

describe("the worker's status server", () => {
  test('/healthz: the process answers, without asking a dependency', async () => {
    const res = await get(status, '/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test("/readyz: the worker's own Postgres pool and Redis connection answer", async () => {
    const res = await get(status, '/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  test('/readyz is 503 naming Redis when Redis is unreachable, and /healthz stays 200', async () => {
    const pool = new pg.Pool({ connectionString: db.url });
    const down = createRedis(`redis://127.0.0.1:${await freePort()}`);
    down.on('error', () => undefined);
    const s = await startStatusServer({ port: 0, host: '127.0.0.1', readiness: storeChecks({ pool, redis: down }) });
    try {
      const res = await get(s, '/readyz');
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; detail: string; checks: Record<string, string> };
      expect(body.status).toBe('not ready');
      expect(body.checks.postgres).toBe('ok');
      expect(body.checks.redis).toMatch(/^not connected/);
      expect(body.detail).toMatch(/^redis: not connected/);
      expect((await get(s, '/healthz')).status).toBe(200);
    } finally {
      await s.close();
      down.disconnect();
      await pool.end();
    }
  });

  test('/readyz is 503 naming Postgres when Postgres refuses connections', async () => {
    const pool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${await freePort()}/reachlog` });
    const up = createRedis(redis.url);
    await up.ping();
    const s = await startStatusServer({ port: 0, host: '127.0.0.1', readiness: storeChecks({ pool, redis: up }) });
    try {
      const res = await get(s, '/readyz');
      expect(res.status).toBe(503);
      const body = (await res.json()) as { detail: string; checks: Record<string, string> };
      expect(body.checks).toMatchObject({ redis: 'ok', postgres: expect.stringMatching(/ECONNREFUSED/) });
      expect(body.detail).toMatch(/^postgres: .*ECONNREFUSED/);
    } finally {
      await s.close();
      up.disconnect();
      await pool.end();
    }
  });

  test('a check that never answers fails after the timeout instead of holding the probe', async () => {
    const s = await startStatusServer({
      port: 0,
      host: '127.0.0.1',
      readiness: { postgres: () => new Promise(() => undefined) },
      timeoutMs: 200,
    });
    try {
      const res = await get(s, '/readyz');
      expect(res.status).toBe(503);
      expect(((await res.json()) as { detail: string }).detail).toBe('postgres: no answer within 200 ms');
    } finally {
      await s.close();
    }
  });

  test('other paths are 404 and list the two there are', async () => {
    const res = await get(status, '/metrics');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: 'not found', paths: ['/healthz', '/readyz'] });
  });
});
