import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { replayedHistory } from '../../support/replayed-history.js';
import { NOW, READER } from '../demo-history.js';

/**
 * The stored history through the admin tiers: answers recomputed from stored objects name the
 * deciding admin rules, and exposure events name admin policies as their causes.
 */
const DIR = fileURLToPath(new URL('../../fixtures/admin-tiers-history', import.meta.url));
const POSTGRES = 'db/postgres[StatefulSet]';
const REPORTS = 'analytics/reports[Deployment]';
const TOOLBOX = 'ops/toolbox[Deployment]';
const FRONT = 'web/front[Deployment]';

const history = replayedHistory('admin-tiers', DIR, NOW);

describe('explain names the deciding admin-tier rules', () => {
  test('an AdminNetworkPolicy Deny overrides the NetworkPolicy that allows analytics', async () => {
    const e = await history.service.explain(READER, {
      cluster: 'admin-tiers',
      src: REPORTS,
      dst: POSTGRES,
      port: '5432',
    });
    expect(e.verdict).toBe('denied');
    const ingress = e.pairs[0]!.ingress;
    expect(ingress.matches.map((m) => m.policy)).toEqual(['db/db-clients']);
    expect(ingress.tierDecisions).toEqual([
      {
        tier: 'Admin',
        kind: 'AdminNetworkPolicy',
        policy: 'deny-db',
        priority: 10,
        rule: 0,
        ruleName: 'no-analytics',
        action: 'Deny',
        failedClosed: false,
        connections: [
          { protocol: 'TCP', ports: [[1, 65535]] },
          { protocol: 'UDP', ports: [[1, 65535]] },
          { protocol: 'SCTP', ports: [[1, 65535]] },
        ],
      },
    ]);
    expect(e.text).toContain('denied by AdminNetworkPolicy deny-db (priority 10) ingress rule 0 "no-analytics"');
  });

  test('a Baseline-tier Deny closes a namespace no NetworkPolicy isolates', async () => {
    const e = await history.service.explain(READER, { cluster: 'admin-tiers', src: REPORTS, dst: FRONT });
    expect(e.verdict).toBe('denied');
    expect(e.pairs[0]!.ingress.isolatedBy).toEqual([]);
    expect(e.pairs[0]!.ingress.tierDecisions.map((d) => [d.tier, d.kind, d.policy, d.action])).toEqual([
      ['Baseline', 'BaselineAdminNetworkPolicy', 'default', 'Deny'],
    ]);
    expect(e.pairs[0]!.ingress.tierDecisions[0]).not.toHaveProperty('priority');
  });
});

describe('who-can-reach and exposure read the admin tiers from history', () => {
  test('analytics lost the database when the admin policies arrived, and they are the cause', async () => {
    const who = await history.service.whoCanReach(READER, { cluster: 'admin-tiers', target: POSTGRES, since: '4d' });
    const sources = who.entries.items.map((e) => e.src);
    expect(sources).toContain(FRONT);
    expect(sources).toContain(TOOLBOX);
    expect(sources).not.toContain(REPORTS);
    const removed = who.changes!.find((c) => c.src === REPORTS);
    expect(removed).toMatchObject({ change: 'removed' });
    expect(removed!.causes.map((c) => `${c.kind} ${c.key}`)).toContain('AdminNetworkPolicy deny-db');
    const gained = who.changes!.find((c) => c.src === TOOLBOX);
    expect(gained).toMatchObject({ change: 'added', after: [{ protocol: 'TCP', ports: [[5432, 5432]] }] });
    expect(gained!.causes.map((c) => `${c.kind} ${c.key}`)).toContain('ClusterNetworkPolicy ops-break-glass');
  });

  test('a Baseline Deny protects: nothing is unprotected once it applies, everything before it', async () => {
    const before = await history.service.exposure(READER, { cluster: 'admin-tiers', at: '3d' });
    expect(before.unprotected).toEqual([REPORTS, TOOLBOX, FRONT]);
    const now = await history.service.exposure(READER, { cluster: 'admin-tiers' });
    expect(now.unprotected).toEqual([]);
  });
});
