import { describe, expect, test } from 'vitest';
import { matchRule, type RuleToMatch, type SnapshotChanges } from '../../alerts/match-rule.js';
import type { ExposureEventRow } from '../../store/exposure-events.repository.js';

const TCP = (from: number, to = from) => [{ protocol: 'TCP' as const, ports: [[from, to]] as [number, number][] }];
const POLICY = { kind: 'NetworkPolicy', key: 'db/open', hash: 'h1' };

function event(change: ExposureEventRow['change'], src: string, dst: string, gained = TCP(5432)): ExposureEventRow {
  return {
    change,
    src,
    dst,
    before: [],
    after: gained,
    gained,
    lost: change === 'removed' ? gained : [],
    causes: [POLICY],
  };
}

function changes(events: ExposureEventRow[]): SnapshotChanges {
  return {
    cluster: 'prod',
    snapshot: { id: 7, takenAt: new Date('2026-12-01T10:00:00Z') },
    events,
    deletedPolicies: [],
    objectChanges: new Map([['NetworkPolicy db/open', 'added']]),
    index: {
      workloadLabels: (id) => (id === 'db/postgres[StatefulSet]' ? [{ app: 'postgres' }] : [{ app: 'other' }]),
      serviceSelector: () => undefined,
    },
  };
}

const rule = (over: Partial<RuleToMatch> = {}): RuleToMatch => ({
  name: 'r',
  target: '*',
  changes: ['outside'],
  source: 'any',
  ports: null,
  severity: 'critical',
  ...over,
});

describe('matchRule', () => {
  test('outside groups split at ipBlock edges read as one change from the addresses people wrote', () => {
    const m = matchRule(
      rule(),
      changes([
        event(
          'added',
          'ip:0.0.0.0/5,8.0.0.0/7,11.0.0.0/8,12.0.0.0/6,16.0.0.0/4,32.0.0.0/3,64.0.0.0/2,128.0.0.0/1',
          'db/postgres[StatefulSet]',
        ),
        event('added', 'ip:10.0.0.0/8', 'db/postgres[StatefulSet]'),
        event('exposed', 'outside', 'db/postgres[StatefulSet]', []),
      ]),
    );
    expect(m?.alert.summary).toBe('db/postgres[StatefulSet] is newly reachable from 0.0.0.0/0 on TCP 5432');
    expect(m?.alert.total).toBe(1);
    expect(m?.alert.causes).toEqual([{ kind: 'NetworkPolicy', key: 'db/open', change: 'added' }]);
  });

  test('a widening rule ignores narrowing; target, source and port filters each exclude', () => {
    const narrowed = changes([event('removed', 'ip:0.0.0.0/0', 'db/postgres[StatefulSet]')]);
    expect(matchRule(rule({ changes: ['added', 'widened', 'outside'] }), narrowed)).toBeNull();
    expect(matchRule(rule({ changes: ['removed'] }), narrowed)?.alert.items[0]?.change).toBe('removed');

    const fromWeb = changes([event('added', 'web/frontend[Deployment]', 'db/postgres[StatefulSet]')]);
    expect(matchRule(rule({ changes: ['other-namespaces'] }), fromWeb)?.alert.total).toBe(1);
    expect(matchRule(rule({ changes: ['added'], source: 'outside' }), fromWeb)).toBeNull();
    expect(matchRule(rule({ changes: ['added'], target: 'ns=db:app=postgres' }), fromWeb)?.alert.total).toBe(1);
    expect(matchRule(rule({ changes: ['added'], target: 'ns=db:app=redis' }), fromWeb)).toBeNull();
    expect(matchRule(rule({ changes: ['added'], ports: TCP(443) }), fromWeb)).toBeNull();
    expect(matchRule(rule({ changes: ['added'], ports: TCP(5000, 6000) }), fromWeb)?.alert.total).toBe(1);
  });

  test('a silenced target is left out; everything silenced names the silence', () => {
    const both = changes([
      event('added', 'ip:0.0.0.0/0', 'db/postgres[StatefulSet]'),
      event('added', 'ip:0.0.0.0/0', 'db/redis[StatefulSet]'),
    ]);
    const one = matchRule(rule(), both, [{ id: 3, ruleName: null, target: 'db/redis[StatefulSet]' }]);
    expect(one?.alert.items.map((i) => i.target)).toEqual(['db/postgres[StatefulSet]']);
    expect(one?.silencedBy).toBeNull();
    expect(matchRule(rule(), both, [{ id: 4, ruleName: 'r', target: null }])?.silencedBy).toBe(4);
  });
});
