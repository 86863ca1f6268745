import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { READER, seedDemoHistory, type DemoHistory } from '../demo-history.js';

const ORDERS = 'api/orders[Deployment]';
const ALL = [
  { protocol: 'TCP', ports: [[1, 65535]] },
  { protocol: 'UDP', ports: [[1, 65535]] },
  { protocol: 'SCTP', ports: [[1, 65535]] },
];

let h: DemoHistory;
beforeAll(async () => {
  h = await seedDemoHistory();
});
afterAll(async () => {
  await h?.close();
});

describe('whatCanReach', () => {
  test('orders now: only postgres and DNS (point 4 narrowed its egress)', async () => {
    const answer = await h.service.whatCanReach(READER, { cluster: 'demo', source: ORDERS });
    expect(answer.entries.items.map((e) => [e.dst, e.allowed])).toEqual([
      ['db/postgres[StatefulSet]', [{ protocol: 'TCP', ports: [[5432, 5432]] }]],
      [
        'kube-system/coredns[Deployment]',
        [
          { protocol: 'TCP', ports: [[53, 53]] },
          { protocol: 'UDP', ports: [[53, 53]] },
        ],
      ],
    ]);
    expect(answer.entries.items.every((e) => e.src === ORDERS)).toBe(true);
  });

  test('orders 10 days ago: everything that let it in, the outside world included', async () => {
    const answer = await h.service.whatCanReach(READER, { cluster: 'demo', source: ORDERS, at: '10d' });
    expect(answer.snapshot.id).toBe(h.snapshots[1]);
    const byPeer = new Map(answer.entries.items.map((e) => [e.dst, e]));
    expect(byPeer.get('storefront/web[Deployment]')?.allowed).toEqual(ALL);
    expect(byPeer.get('analytics/reports[Deployment]')?.since.snapshotId).toBe(h.snapshots[1]);
    expect(byPeer.get('db/postgres[StatefulSet]')?.allowed).toEqual([{ protocol: 'TCP', ports: [[5432, 5432]] }]);
    expect([...byPeer.keys()].some((p) => p.startsWith('ip:'))).toBe(true);
  });

  test('since 10d: what orders lost at point 4, blamed on api/orders-egress', async () => {
    const answer = await h.service.whatCanReach(READER, { cluster: 'demo', source: ORDERS, since: '10d' });
    const atPoint4 = answer.changes!.filter((c) => c.snapshotId === h.snapshots[3]);
    expect(atPoint4.find((c) => c.dst === 'storefront/web[Deployment]')).toMatchObject({
      change: 'removed',
      src: ORDERS,
      before: ALL,
      after: [],
    });
    expect(atPoint4.find((c) => c.dst === 'kube-system/coredns[Deployment]')?.change).toBe('narrowed');
    for (const c of atPoint4) {
      expect(c.causes).toContainEqual(expect.objectContaining({ kind: 'NetworkPolicy', key: 'api/orders-egress' }));
    }
  });
});
