import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { failureOf, READER, seedDemoHistory, type DemoHistory } from '../demo-history.js';

let h: DemoHistory;
beforeAll(async () => {
  h = await seedDemoHistory();
});
afterAll(async () => {
  await h?.close();
});

const namespaceOf = (id: string) => id.slice(0, id.indexOf('/'));

describe('namespaceMatrix', () => {
  test('each cell counts exactly the workload pairs explain calls allowed (every pair of the demo asked one by one)', async () => {
    for (const at of ['10d', undefined]) {
      const m = await h.service.namespaceMatrix(READER, { cluster: 'demo', ...(at ? { at } : {}) });
      const workloads = (await h.service.workloads(READER, { cluster: 'demo', ...(at ? { at } : {}) })).items
        .filter((w) => !w.hostNetwork)
        .map((w) => w.id);
      const expected = new Map<string, number>();
      // A workload with itself too: both count its pods of different variants reaching each other.
      for (const src of workloads) {
        for (const dst of workloads) {
          const e = await h.service.explain(READER, { cluster: 'demo', src, dst, ...(at ? { at } : {}) });
          if (e.verdict !== 'allowed') continue;
          const key = `${namespaceOf(src)} → ${namespaceOf(dst)}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
      }
      const cells = new Map(m.cells.map((c) => [`${c.src} → ${c.dst}`, c.pairs]));
      expect(cells).toEqual(expected);
      expect(m.namespaces.map((n) => n.name)).toEqual([...new Set(workloads.map(namespaceOf))].sort());
      expect(m.namespaces.reduce((sum, n) => sum + n.workloads, 0)).toBe(workloads.length);
      expect(m.pairs).toBeUndefined();
    }
  });

  test('a cell lists its pairs: analytics → db opened five days ago, not before', async () => {
    const now = await h.service.namespaceMatrix(READER, { cluster: 'demo', src: 'analytics', dst: 'db' });
    expect(now.pairs).toEqual([
      {
        src: 'analytics/reports[Deployment]',
        dst: 'db/postgres[StatefulSet]',
        allowed: [{ protocol: 'TCP', ports: [[5432, 5432]] }],
      },
    ]);
    expect(now.pairsComplete).toBe(true);
    const before = await h.service.namespaceMatrix(READER, { cluster: 'demo', src: 'analytics', dst: 'db', at: '10d' });
    expect(before.pairs).toEqual([]);
    expect(before.cells.find((c) => c.src === 'analytics' && c.dst === 'db')).toBeUndefined();
  });

  test('half a cell is bad input; a namespace without workloads is NOT_FOUND', async () => {
    expect(await failureOf(h.service.namespaceMatrix(READER, { cluster: 'demo', src: 'analytics' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('both src and dst'),
    });
    expect(
      await failureOf(h.service.namespaceMatrix(READER, { cluster: 'demo', src: 'analytics', dst: 'nowhere' })),
    ).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('namespace nowhere has no workload') });
  });
});
