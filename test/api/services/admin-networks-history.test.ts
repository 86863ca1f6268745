import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { replayedHistory } from '../../support/replayed-history.js';
import { NOW, READER } from '../demo-history.js';

/**
 * Admin `networks` peers match pods by IP, and history does not keep pod IPs: answers served
 * from stored history must agree with what the worker computed from the real addresses, and
 * say that they rest on them (test/fixtures/admin-networks-history).
 */
const DIR = fileURLToPath(new URL('../../fixtures/admin-networks-history', import.meta.url));
const CLUSTER = 'admin-networks';
const BATCH = 'shop/batch-1[Pod]';
const WEB = 'shop/web-1[Pod]';
const RULE = 'AdminNetworkPolicy no-legacy-subnet spec.egress[0].to[0].networks (10.8.0.0/16)';

const history = replayedHistory(CLUSTER, DIR, NOW);

const sources = (a: { entries: { items: { src: string }[] } }) => a.entries.items.map((e) => e.src);

describe('while a networks peer holds a pod address', () => {
  test('who-can-reach (the stored result) leaves web out, and says the answer rests on the addresses then', async () => {
    const who = await history.service.whoCanReach(READER, { cluster: CLUSTER, target: BATCH, at: '2d' });
    expect(sources(who)).not.toContain(WEB);
    expect(who.warnings).toHaveLength(1);
    expect(who.warnings![0]).toContain(RULE);
    expect(who.warnings![0]).toContain(
      `held the pod addresses of 1 workload(s) when snapshot ${history.points[0]!.snapshotId}`,
    );
    expect(who.warnings![0]).toContain('egress rule 0 "legacy"');
  });

  test('explain, recomputed from stored objects, agrees: denied by the admin rule, with the same warning', async () => {
    const e = await history.service.explain(READER, { cluster: CLUSTER, src: WEB, dst: BATCH, at: '2d' });
    expect(e.verdict).toBe('denied');
    expect(e.pairs[0]!.egress.tierDecisions.map((d) => [d.kind, d.policy, d.rule, d.action])).toEqual([
      ['AdminNetworkPolicy', 'no-legacy-subnet', 0, 'Deny'],
    ]);
    expect(e.warnings!.some((w) => w.includes(RULE))).toBe(true);
    // The rebuilt pods hold stand-in addresses: no warning may quote them as real.
    expect(e.warnings!.join('\n')).not.toMatch(/ipBlock/);
  });

  test('exposure carries the warning too', async () => {
    const exposure = await history.service.exposure(READER, { cluster: CLUSTER, at: '2d' });
    expect(exposure.warnings!.some((w) => w.includes(RULE))).toBe(true);
  });
});

describe('once the pod restarted outside it', () => {
  test('the snapshot is a change though no object changed, and web reaches batch again, in both answers', async () => {
    expect(history.points.map((p) => p.status)).toEqual(['changed', 'changed']);
    const who = await history.service.whoCanReach(READER, { cluster: CLUSTER, target: BATCH, since: '2d' });
    expect(sources(who)).toContain(WEB);
    expect(who.changes!.find((c) => c.src === WEB)).toMatchObject({ change: 'added' });
    expect(who.warnings).toBeUndefined();
    const e = await history.service.explain(READER, { cluster: CLUSTER, src: WEB, dst: BATCH });
    expect(e.verdict).toBe('allowed');
    expect(e.warnings).toBeUndefined();
  });
});
