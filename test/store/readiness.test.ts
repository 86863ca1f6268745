import { describe, expect, it } from 'vitest';
import { checkReadiness, storeChecks } from '../../store/readiness.js';

const pool = { query: async () => ({ rows: [] }) };

describe('storeChecks', () => {
  it('without Redis (the embedded mode) asks Postgres alone', async () => {
    const checks = storeChecks({ pool, redis: null });
    expect(Object.keys(checks)).toEqual(['postgres']);
    expect(await checkReadiness(checks)).toEqual({ ready: true, checks: { postgres: 'ok' }, detail: '' });
  });

  it('with a Redis that is reconnecting, says so at once instead of waiting on a PING', async () => {
    const redis = { status: 'reconnecting', ping: () => new Promise<never>(() => undefined) };
    const r = await checkReadiness(storeChecks({ pool, redis }), { timeoutMs: 5_000 });
    expect(r.ready).toBe(false);
    expect(r.detail).toBe('redis: not connected (reconnecting)');
  });
});
