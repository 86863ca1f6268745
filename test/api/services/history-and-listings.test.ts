import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page, Principal, ReachChange } from '../../../api/services/query-service.js';
import { daysAgo, READER, seedDemoHistory, type DemoHistory } from '../demo-history.js';

let h: DemoHistory;
beforeAll(async () => {
  h = await seedDemoHistory();
});
afterAll(async () => {
  await h?.close();
});

describe('clusters and snapshots', () => {
  test('clusters list what the principal may see, each with its last snapshot', async () => {
    const all = await h.service.clusters(READER);
    expect(all.items.map((c) => c.name)).toEqual(['demo', 'other']);
    expect(all.items[0]!.lastSnapshot).toMatchObject({ id: h.snapshots[4], takenAt: daysAgo(0.5) });
    expect(all.items[1]).toMatchObject({ source: 'kube:staging', lastSnapshot: null });
    const scoped: Principal = { ...READER, clusterIds: [h.clusterId] };
    expect((await h.service.clusters(scoped)).items.map((c) => c.name)).toEqual(['demo']);
    const first = await h.service.clusters(READER, { limit: 1 });
    const second = await h.service.clusters(READER, { limit: 1, cursor: first.nextCursor });
    expect([first.items[0]!.name, second.items[0]!.name, second.nextCursor]).toEqual(['demo', 'other', null]);
  });

  test('snapshots, newest first, in pages', async () => {
    const first = await h.service.snapshots(READER, 'demo', { limit: 3 });
    const rest = await h.service.snapshots(READER, 'demo', { limit: 3, cursor: first.nextCursor });
    expect([...first.items, ...rest.items].map((s) => s.id)).toEqual([...h.snapshots].reverse());
    expect(rest.nextCursor).toBeNull();
    expect(first.cursors).toHaveLength(3);
  });
});

describe('diff', () => {
  const all = async (q: { from: string; to?: string; namespace?: string; workload?: string }) => {
    const items: ReachChange[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<ReachChange> = await h.service.diff(READER, {
        cluster: 'demo',
        ...q,
        page: { limit: 3, cursor },
      });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  test('from 20 days ago: the database opened, orders narrowed, each with its causes', async () => {
    const changes = await all({ from: '20d' });
    expect(
      changes.find((c) => c.src === 'analytics/reports[Deployment]' && c.dst === 'db/postgres[StatefulSet]'),
    ).toMatchObject({
      change: 'added',
      snapshotId: h.snapshots[2],
      causes: [expect.objectContaining({ key: 'db/postgres-debug-access' })],
    });
    expect(
      changes.find((c) => c.src === 'api/orders[Deployment]' && c.dst === 'storefront/web[Deployment]'),
    ).toMatchObject({ change: 'removed', snapshotId: h.snapshots[3] });
    // One row per pair; a pair whose steps cancel out is no change.
    const pairs = changes.map((c) => `${c.src} ${c.dst}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    // orders' egress was narrowed at point 4: every outside address it could reach before is
    // gone, one entry per family, though point 3's ipBlock cut the outside world in between.
    const outside = changes.filter((c) => c.src === 'api/orders[Deployment]' && c.dst.startsWith('ip:'));
    expect(outside.map((c) => [c.change, c.dstText, c.snapshotId])).toEqual([
      ['removed', '0.0.0.0/0', h.snapshots[3]],
      ['removed', '::/0', h.snapshots[3]],
    ]);
  });

  test('a new ipBlock re-cutting the outside world is not a change for workloads it does not concern', async () => {
    // Point 3's 0.0.0.0/0 ipBlock splits the outside groups; orders reaches every address as before.
    const changes = await all({
      from: `snapshot:${h.snapshots[1]}`,
      to: `snapshot:${h.snapshots[2]}`,
      workload: 'api/orders[Deployment]',
    });
    expect(changes.filter((c) => c.src.startsWith('ip:') || c.dst.startsWith('ip:'))).toEqual([]);
  });

  test('filters by namespace and workload', async () => {
    const db = await all({ from: '20d', namespace: 'db' });
    expect(db.length).toBeGreaterThan(0);
    expect(db.every((c) => c.src.startsWith('db/') || c.dst.startsWith('db/'))).toBe(true);
    const none = await all({ from: '20d', to: '10d', workload: 'db/postgres[StatefulSet]' });
    expect(none).toEqual([]);
  });
});

describe('workloads, policies, matrix', () => {
  test('workloads of then and now, with their variants', async () => {
    const then = await h.service.workloads(READER, { cluster: 'demo', at: '20d' });
    expect(then.items.map((w) => w.id)).not.toContain('analytics/reports[Deployment]');
    const now = await h.service.workloads(READER, { cluster: 'demo', namespace: 'db' });
    expect(now.items).toEqual([
      {
        id: 'db/postgres[StatefulSet]',
        namespace: 'db',
        name: 'postgres',
        kind: 'StatefulSet',
        hostNetwork: false,
        variants: [{ labels: { app: 'postgres' }, namedPorts: [{ name: 'pg', protocol: 'TCP', port: 5432 }] }],
      },
    ]);
  });

  test('policies with the workloads each selects', async () => {
    const db = await h.service.policies(READER, { cluster: 'demo', namespace: 'db' });
    expect(db.items.map((p) => [p.key, p.policyTypes, p.selects])).toEqual([
      ['db/default-deny', ['Ingress', 'Egress'], ['db/postgres[StatefulSet]']],
      ['db/postgres-debug-access', ['Ingress'], ['db/postgres[StatefulSet]']],
      ['db/postgres-from-api', ['Ingress'], ['db/postgres[StatefulSet]']],
    ]);
    const then = await h.service.policies(READER, { cluster: 'demo', at: '10d' });
    expect(then.items.map((p) => p.key)).not.toContain('db/postgres-debug-access');
  });

  test('a matrix over a namespace or a selector', async () => {
    const api = await h.service.matrix(READER, { cluster: 'demo', namespace: 'api' });
    expect(api.peers).toEqual(['api/orders[Deployment]', 'api/payments[Deployment]']);
    expect(api.cells).toEqual([]);
    const mixed = await h.service.matrix(READER, {
      cluster: 'demo',
      selector: 'app in (orders, payments)',
      namespace: 'api',
    });
    expect(mixed.peers).toEqual(api.peers);
    const db = await h.service.matrix(READER, { cluster: 'demo', selector: 'ns=db:app=postgres' });
    expect(db.peers).toEqual(['db/postgres[StatefulSet]']);
  });
});
