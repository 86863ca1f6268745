import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReachAnswer } from '../../../api/services/query-service.js';
import {
  PAYMENTS,
  POSTGRES,
  READER,
  REPORTS,
  WEB,
  daysAgo,
  failureOf,
  seedDemoHistory,
  type DemoHistory,
} from '../demo-history.js';

const TCP_5432 = [{ protocol: 'TCP', ports: [[5432, 5432]] }];

let h: DemoHistory;
beforeAll(async () => {
  h = await seedDemoHistory();
});
afterAll(async () => {
  await h?.close();
});

const peers = (a: ReachAnswer) => a.entries.items.map((e) => e.src);

describe('whoCanReach', () => {
  test('the database now: analytics and the outside world on TCP 5432, since the point-3 snapshot', async () => {
    const answer = await h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES });
    expect(answer.snapshot).toMatchObject({ id: h.snapshots[4], takenAt: daysAgo(0.5), status: 'changed' });
    expect(answer.resolved).toEqual({ workloads: [POSTGRES] });
    const reports = answer.entries.items.find((e) => e.src === REPORTS);
    expect(reports).toEqual({
      src: REPORTS,
      dst: POSTGRES,
      srcText: REPORTS,
      dstText: POSTGRES,
      allowed: TCP_5432,
      since: { snapshotId: h.snapshots[2], takenAt: daysAgo(5) },
    });
    // db-debug-access opens 0.0.0.0/0: one entry, though another policy's except cuts it in three.
    const outside = answer.entries.items.filter((e) => e.src.startsWith('ip:'));
    expect(outside.map((e) => e.srcText)).toEqual(['0.0.0.0/0']);
    for (const e of outside) {
      expect(e.allowed).toEqual(TCP_5432);
      expect(e.since.snapshotId).toBe(h.snapshots[2]);
    }
    // The API tier has had access from the first snapshot on.
    const orders = answer.entries.items.find((e) => e.src === 'api/orders[Deployment]');
    expect(orders?.since).toEqual({ snapshotId: h.snapshots[0], takenAt: daysAgo(28) });
    expect(answer.changes).toBeUndefined();
  });

  test('since 7d: what was added, and the policy that caused it', async () => {
    const answer = await h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, since: '7d' });
    const changes = answer.changes!;
    const reports = changes.find((c) => c.src === REPORTS);
    expect(reports).toMatchObject({ change: 'added', dst: POSTGRES, before: [], snapshotId: h.snapshots[2] });
    expect(reports!.after).toEqual(TCP_5432);
    const outside = changes.filter((c) => c.src.startsWith('ip:'));
    expect(outside.length).toBeGreaterThan(0);
    for (const c of [reports!, ...outside]) {
      expect(c.change).toBe('added');
      expect(c.causes).toContainEqual(
        expect.objectContaining({ kind: 'NetworkPolicy', key: 'db/postgres-debug-access' }),
      );
    }
    // Nothing changed for the database at points 4 and 5.
    expect(changes.every((c) => c.snapshotId === h.snapshots[2])).toBe(true);
  });

  test('since 1d: the storefront lost payments to the AdminNetworkPolicy pci-payments, though api-ingress still opens it', async () => {
    const answer = await h.service.whoCanReach(READER, { cluster: 'demo', target: PAYMENTS, since: '1d' });
    expect(peers(answer)).not.toContain(WEB);
    expect(peers(answer)).toContain('monitoring/prometheus[Deployment]');
    const lost = answer.changes!.find((c) => c.src === WEB);
    expect(lost).toMatchObject({
      change: 'removed',
      before: [{ protocol: 'TCP', ports: [[8443, 8443]] }],
      after: [],
      snapshotId: h.snapshots[4],
      takenAt: daysAgo(0.5),
    });
    expect(lost!.causes).toEqual([expect.objectContaining({ kind: 'AdminNetworkPolicy', key: 'pci-payments' })]);
    expect(answer.netChanges!.map((c) => [c.change, c.src])).toEqual([['removed', WEB]]);
  });

  test('svc:db/postgres resolves to the StatefulSet and its named target port', async () => {
    const answer = await h.service.whoCanReach(READER, { cluster: 'demo', target: 'svc:db/postgres' });
    expect(answer.resolved).toEqual({ workloads: [POSTGRES], ports: TCP_5432 });
    expect(peers(answer)).toContain(REPORTS);
    expect(answer.entries.items.every((e) => JSON.stringify(e.allowed) === JSON.stringify(TCP_5432))).toBe(true);
  });

  test('a selector with its namespace', async () => {
    const plain = await h.service.whoCanReach(READER, { cluster: 'demo', target: 'ns=db:app=postgres' });
    expect(plain.resolved.workloads).toEqual([POSTGRES]);
    const set = await h.service.whoCanReach(READER, {
      cluster: 'demo',
      target: 'ns=db: app in (postgres, mysql), !legacy',
    });
    expect(set.resolved.workloads).toEqual([POSTGRES]);
    expect(peers(set)).toEqual(peers(plain));
  });

  test('a selector or Service that names no workload is NOT_FOUND, never "nothing can reach it"', async () => {
    const none = await failureOf(
      h.service.whoCanReach(READER, { cluster: 'demo', target: 'ns=db:app=postgres,tier in (db)' }),
    );
    expect(none.code).toBe('NOT_FOUND');
    expect(none.message).toMatch(/^ns=db:app=postgres,tier in \(db\) matches no workload at /);
    const typo = await failureOf(h.service.whatCanReach(READER, { cluster: 'demo', source: 'ns=db:app=postgre' }));
    expect(typo.code).toBe('NOT_FOUND');
    const matrix = await failureOf(
      h.service.matrix(READER, { cluster: 'demo', namespace: 'db', selector: 'app=nope' }),
    );
    expect(matrix).toMatchObject({ code: 'NOT_FOUND' });
    const empty = await failureOf(h.service.matrix(READER, { cluster: 'demo', namespace: 'no-such-namespace' }));
    expect(empty).toMatchObject({ code: 'NOT_FOUND' });
  });

  test('port keeps only what can open it', async () => {
    const pg = await h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, port: '5432/TCP' });
    expect(peers(pg)).toContain(REPORTS);
    const https = await h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, port: '443' });
    expect(https.entries.items).toEqual([]);
  });

  test('at a past time or snapshot, the answer of then', async () => {
    const before = await h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, at: '10d' });
    expect(before.snapshot.id).toBe(h.snapshots[1]);
    expect(peers(before)).toEqual(['api/orders[Deployment]', 'api/payments[Deployment]']);
    const bySnapshot = await h.service.whoCanReach(READER, {
      cluster: 'demo',
      target: POSTGRES,
      at: `snapshot:${h.snapshots[1]}`,
    });
    expect(bySnapshot.entries).toEqual(before.entries);
    const byTime = await h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, at: daysAgo(6) });
    expect(byTime.snapshot.id).toBe(h.snapshots[1]);
  });

  test('pages are stable and cover the list once', async () => {
    const whole = await h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ReachAnswer = await h.service.whoCanReach(READER, {
        cluster: 'demo',
        target: POSTGRES,
        page: { limit: 2, cursor },
      });
      seen.push(...peers(page));
      cursor = page.entries.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(peers(whole));
    expect(pages).toBe(Math.ceil(whole.entries.items.length / 2));
    const bad = await failureOf(
      h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, page: { cursor: 'not-a-cursor' } }),
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
  });
});
