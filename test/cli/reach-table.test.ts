import { describe, expect, test } from 'vitest';
import type { ReachAnswer } from '../../api/services/query-service.js';
import { describePorts, renderReachTable } from '../../cli/reach-table.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const TCP = (lo: number, hi = lo) => ({ protocol: 'TCP' as const, ports: [[lo, hi]] as [number, number][] });
const snapshot = (id: number, takenAt: string) => ({
  id,
  takenAt,
  status: 'changed' as const,
  durationMs: 5,
  counts: null,
  problems: [],
  error: null,
});

describe('describePorts', () => {
  test('ports, ranges, whole protocols, everything, nothing', () => {
    expect(describePorts([TCP(5432)])).toBe('TCP 5432');
    expect(
      describePorts([
        {
          protocol: 'TCP',
          ports: [
            [80, 80],
            [8000, 8100],
          ],
        },
        { protocol: 'UDP', ports: [[53, 53]] },
      ]),
    ).toBe('TCP 80,8000-8100 UDP 53');
    expect(describePorts([TCP(1, 65535)])).toBe('TCP all');
    expect(describePorts(['TCP', 'UDP', 'SCTP'].map((p) => ({ ...TCP(1, 65535), protocol: p as 'TCP' })))).toBe(
      'all ports',
    );
    expect(describePorts([])).toBe('none');
  });
});

describe('renderReachTable', () => {
  const answer: ReachAnswer = {
    cluster: 'demo',
    snapshot: snapshot(4, '2025-05-31T12:00:00.000Z'),
    resolved: { workloads: ['db/postgres[StatefulSet]'] },
    entries: {
      items: [
        {
          src: 'analytics/reports[Deployment]',
          dst: 'db/postgres[StatefulSet]',
          srcText: 'analytics/reports[Deployment]',
          dstText: 'db/postgres[StatefulSet]',
          allowed: [TCP(5432)],
          since: { snapshotId: 3, takenAt: '2025-05-27T12:00:00.000Z' },
        },
        {
          src: 'api/orders[Deployment]',
          dst: 'db/postgres[StatefulSet]',
          srcText: 'api/orders[Deployment]',
          dstText: 'db/postgres[StatefulSet]',
          allowed: [TCP(5432)],
          since: { snapshotId: 1, takenAt: '2025-05-04T12:00:00.000Z' },
        },
      ],
      nextCursor: null,
    },
    changes: [
      {
        change: 'added',
        src: 'analytics/reports[Deployment]',
        dst: 'db/postgres[StatefulSet]',
        srcText: 'analytics/reports[Deployment]',
        dstText: 'db/postgres[StatefulSet]',
        before: [],
        after: [TCP(5432)],
        snapshotId: 3,
        takenAt: '2025-05-27T12:00:00.000Z',
        causes: [{ kind: 'NetworkPolicy', key: 'db/postgres-debug-access', hash: 'abc' }],
      },
      {
        change: 'narrowed',
        src: 'api/payments[Deployment]',
        dst: 'db/postgres[StatefulSet]',
        srcText: 'api/payments[Deployment]',
        dstText: 'db/postgres[StatefulSet]',
        before: [TCP(1, 65535)],
        after: [],
        snapshotId: 3,
        takenAt: '2025-06-01T11:00:00.000Z',
        causes: [{ kind: 'NetworkPolicy', key: 'db/allow-all', hash: null }],
      },
    ],
  };

  test("who can reach it, then each source's net change and the changes with their causes", () => {
    // payments' narrowing was undone later: in the changes, not among the net changes.
    const withNet = { ...answer, netChanges: [answer.changes![0]!] };
    expect(renderReachTable(withNet, { target: 'db/postgres[StatefulSet]', since: '7d', now: NOW })).toBe(
      [
        'Who can reach db/postgres[StatefulSet] in demo (snapshot 4, 2025-05-31 12:00 (1d ago)):',
        '',
        '  SOURCE                         PORTS     SINCE',
        '  analytics/reports[Deployment]  TCP 5432  2025-05-27 12:00 (5d ago)',
        '  api/orders[Deployment]         TCP 5432  2025-05-04 12:00 (28d ago)',
        '',
        'Net changes since 7d (then -> now; a source that changed back is not listed):',
        '',
        '  NET    SOURCE                         PORTS     LAST CHANGE                CAUSED BY',
        '  added  analytics/reports[Deployment]  TCP 5432  2025-05-27 12:00 (5d ago)  NetworkPolicy db/postgres-debug-access',
        '',
        'Changes since 7d:',
        '',
        '  CHANGE    SOURCE                         PORTS            WHEN                       CAUSED BY',
        '  added     analytics/reports[Deployment]  TCP 5432         2025-05-27 12:00 (5d ago)  NetworkPolicy db/postgres-debug-access',
        '  narrowed  api/payments[Deployment]       TCP all -> none  2025-06-01 11:00 (1h ago)  NetworkPolicy db/allow-all (deleted)',
        '',
      ].join('\n'),
    );
  });

  test('without --since there is no changes section; an empty answer says so', () => {
    const empty = { ...answer, entries: { items: [], nextCursor: null }, changes: undefined };
    expect(renderReachTable(empty, { target: 'x', now: NOW })).toBe(
      'Who can reach db/postgres[StatefulSet] in demo (snapshot 4, 2025-05-31 12:00 (1d ago)):\n\n  nothing can reach it\n',
    );
  });

  test("the answer's warnings come first, under the title, one line each", () => {
    const warned = { ...answer, entries: { items: [], nextCursor: null }, changes: undefined, warnings: ['w1', 'w2'] };
    expect(renderReachTable(warned, { target: 'x', now: NOW })).toBe(
      'Who can reach db/postgres[StatefulSet] in demo (snapshot 4, 2025-05-31 12:00 (1d ago)):\n' +
        'warning: w1\nwarning: w2\n\n  nothing can reach it\n',
    );
  });
});
