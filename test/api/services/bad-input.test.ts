import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Principal } from '../../../api/services/query-service.js';
import { POSTGRES, READER, failureOf, seedDemoHistory, type DemoHistory } from '../demo-history.js';

let h: DemoHistory;
beforeAll(async () => {
  h = await seedDemoHistory();
});
afterAll(async () => {
  await h?.close();
});

describe('bad input is refused with a code and a message naming it', () => {
  test('a malformed selector, with its position in the target', async () => {
    const f = await failureOf(h.service.whoCanReach(READER, { cluster: 'demo', target: 'ns=db:app=post gres' }));
    expect(f.code).toBe('BAD_USER_INPUT');
    expect(f.message).toContain('at position 16');
    expect(f.message).toContain('expected');
    const quoted = await failureOf(h.service.whoCanReach(READER, { cluster: 'demo', target: 'ns=db:app="postgres"' }));
    expect(quoted).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('at position 11') });
    const noNamespace = await failureOf(h.service.whoCanReach(READER, { cluster: 'demo', target: 'app=postgres' }));
    expect(noNamespace.code).toBe('BAD_USER_INPUT');
  });

  test('an unknown cluster is NOT_FOUND', async () => {
    expect(await failureOf(h.service.whoCanReach(READER, { cluster: 'nope', target: POSTGRES }))).toEqual({
      code: 'NOT_FOUND',
      message: 'cluster "nope" not found',
    });
  });

  test('a cluster outside the principal is NOT_FOUND, exactly like one that does not exist', async () => {
    const others: Principal = { ...READER, clusterIds: [h.otherClusterId] };
    const hidden = await failureOf(h.service.whoCanReach(others, { cluster: 'demo', target: POSTGRES }));
    expect(hidden).toEqual({ code: 'NOT_FOUND', message: 'cluster "demo" not found' });
    expect(await failureOf(h.service.snapshots(others, 'demo'))).toEqual(hidden);
    expect(await failureOf(h.service.cluster(others, 'demo'))).toEqual(hidden);
    const none: Principal = { ...READER, clusterIds: [] };
    expect((await h.service.clusters(none)).items).toEqual([]);
  });

  test('times in the future or before the first snapshot', async () => {
    const future = await failureOf(
      h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, at: '2030-01-01T00:00:00Z' }),
    );
    expect(future.code).toBe('BAD_USER_INPUT');
    expect(future.message).toContain('in the future');
    const early = await failureOf(h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, since: '60d' }));
    expect(early.code).toBe('BAD_USER_INPUT');
    expect(early.message).toContain('before the first snapshot of cluster demo');
    const garbage = await failureOf(h.service.exposure(READER, { cluster: 'demo', at: 'yesterday' }));
    expect(garbage.code).toBe('BAD_USER_INPUT');
    const reversed = await failureOf(h.service.diff(READER, { cluster: 'demo', from: '2d', to: '20d' }));
    expect(reversed.code).toBe('BAD_USER_INPUT');
  });

  test('unknown snapshots, workloads, services and peers are NOT_FOUND', async () => {
    const cases = [
      () => h.service.exposure(READER, { cluster: 'demo', at: 'snapshot:999999' }),
      () => h.service.whoCanReach(READER, { cluster: 'demo', target: 'db/mysql[StatefulSet]' }),
      () => h.service.whoCanReach(READER, { cluster: 'demo', target: 'svc:db/mysql' }),
      () => h.service.explain(READER, { cluster: 'demo', src: 'db/mysql[StatefulSet]', dst: POSTGRES }),
      // analytics did not exist yet at point 1.
      () => h.service.whatCanReach(READER, { cluster: 'demo', source: 'analytics/reports[Deployment]', at: '20d' }),
    ];
    for (const c of cases) expect((await failureOf(c())).code).toBe('NOT_FOUND');
  });

  test('ports, page sizes and missing arguments', async () => {
    const cases = [
      () => h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, port: '99999' }),
      () => h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, port: '5432/ICMP' }),
      () => h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, page: { limit: 1001 } }),
      () => h.service.workloads(READER, { cluster: 'demo', page: { limit: 0 } }),
      () => h.service.whoCanReach(READER, { cluster: 'demo', target: '' }),
      () => h.service.matrix(READER, { cluster: 'demo' }),
      () => h.service.snapshots(READER, 'demo', { cursor: Buffer.from('["clusters","demo"]').toString('base64url') }),
    ];
    for (const c of cases) expect((await failureOf(c())).code).toBe('BAD_USER_INPUT');
  });

  test('a token without the read scope is FORBIDDEN', async () => {
    const writer: Principal = { ...READER, scopes: [] };
    expect((await failureOf(h.service.clusters(writer))).code).toBe('FORBIDDEN');
  });
});
