import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  failureOf,
  PAYMENTS,
  POSTGRES,
  READER,
  REPORTS,
  WEB,
  seedDemoHistory,
  type DemoHistory,
} from '../demo-history.js';

let h: DemoHistory;
beforeAll(async () => {
  h = await seedDemoHistory();
});
afterAll(async () => {
  await h?.close();
});

describe('explain', () => {
  test('10 days ago analytics was denied: the database isolated, no rule matching it', async () => {
    const e = await h.service.explain(READER, {
      cluster: 'demo',
      src: REPORTS,
      dst: POSTGRES,
      port: '5432',
      at: '10d',
    });
    expect(e.snapshot.id).toBe(h.snapshots[1]);
    expect(e.verdict).toBe('denied');
    expect(e.probe).toEqual({ protocol: 'TCP', port: 5432, allowed: false });
    const [pair] = e.pairs;
    expect(pair!.egress).toMatchObject({ governed: true, isolatedBy: [] });
    expect(pair!.ingress.isolatedBy).toEqual(['db/default-deny', 'db/postgres-from-api']);
    expect(pair!.ingress.matches).toEqual([]);
    expect(e.text).toContain('DENIED');
  });

  test('now it is allowed, by rule 0 of postgres-debug-access', async () => {
    const e = await h.service.explain(READER, { cluster: 'demo', src: REPORTS, dst: POSTGRES, port: '5432/TCP' });
    expect(e.verdict).toBe('allowed');
    expect(e.allowed).toEqual([{ protocol: 'TCP', ports: [[5432, 5432]] }]);
    expect(e.pairs[0]!.ingress.matches).toEqual([
      { policy: 'db/postgres-debug-access', rule: 0, allowed: [{ protocol: 'TCP', ports: [[5432, 5432]] }] },
    ]);
    expect(e.text).toContain('ingress rule 0 of db/postgres-debug-access allows TCP 5432');
  });

  test('the storefront to payments: api-ingress allows it, the AdminNetworkPolicy pci-payments denies it first', async () => {
    const e = await h.service.explain(READER, { cluster: 'demo', src: WEB, dst: PAYMENTS, port: '8443' });
    expect(e.verdict).toBe('denied');
    const { ingress } = e.pairs[0]!;
    expect(ingress.matches).toEqual([
      { policy: 'api/api-ingress', rule: 0, allowed: [{ protocol: 'TCP', ports: [[8443, 8443]] }] },
    ]);
    expect(ingress.tierDecisions.map((d) => [d.kind, d.policy, d.priority, d.rule, d.ruleName, d.action])).toEqual([
      ['AdminNetworkPolicy', 'pci-payments', 10, 0, 'no-storefront', 'Deny'],
    ]);
    expect(e.text).toContain('denied by AdminNetworkPolicy pci-payments (priority 10) ingress rule 0 "no-storefront"');
    const before = await h.service.explain(READER, { cluster: 'demo', src: WEB, dst: PAYMENTS, at: '1d' });
    expect(before).toMatchObject({ verdict: 'allowed', allowed: [{ protocol: 'TCP', ports: [[8443, 8443]] }] });
  });

  test('an outside address is explained through the group holding it', async () => {
    const e = await h.service.explain(READER, { cluster: 'demo', src: 'ip:203.0.113.7', dst: POSTGRES });
    expect(e.src).toMatch(/^ip:.*128\.0\.0\.0\/1/);
    expect(e.verdict).toBe('allowed');
    expect(e.pairs[0]!.egress.governed).toBe(false);
  });

  test('a bare address or CIDR is a peer too, and the reply says which rule does not match it', async () => {
    const e = await h.service.explain(READER, { cluster: 'demo', src: 'api/payments[Deployment]', dst: '10.1.2.3' });
    // payments may reach the internet on 443, but not 10/8: the block's except leaves it out.
    expect(e.allowed).toEqual([]);
    expect(e.pairs[0]!.egress.misses).toContainEqual({
      policy: 'api/payments-egress',
      rule: 0,
      reason: 'ipBlock 0.0.0.0/0 except 10.0.0.0/8 does not contain 10.1.2.3',
    });
    expect(e.text).toContain('api/payments[Deployment] => 10.1.2.3: DENIED');
    const public8 = await h.service.explain(READER, {
      cluster: 'demo',
      src: 'api/payments[Deployment]',
      dst: '8.8.8.0/24',
    });
    expect(public8.allowed).toEqual([{ protocol: 'TCP', ports: [[443, 443]] }]);
  });

  test('addresses that policies treat alike across outside groups get one answer; treated differently, each part is named', async () => {
    // postgres is open to 0.0.0.0/0 on its port: 10/8 and the rest are explained alike.
    const e = await h.service.explain(READER, { cluster: 'demo', src: '10.0.0.0/7', dst: POSTGRES });
    expect(e.verdict).toBe('allowed');
    expect(e.src).toBe('ip:0.0.0.0/0');
    expect(e.text).toMatch(/^10\.0\.0\.0\/7 => db\/postgres\[StatefulSet\]: ALLOWED/);
    // payments' egress treats 10/8 and 11/8 differently: one answer cannot hold both.
    const split = await failureOf(
      h.service.explain(READER, { cluster: 'demo', src: 'api/payments[Deployment]', dst: 'ip:10.0.0.0/7' }),
    );
    expect(split.code).toBe('BAD_USER_INPUT');
    expect(split.message).toContain('api/payments[Deployment] => 10.0.0.0/8; api/payments[Deployment] => 11.0.0.0/8');
    const bad = await failureOf(h.service.explain(READER, { cluster: 'demo', src: 'ip:10.0.0/8', dst: POSTGRES }));
    expect(bad.code).toBe('BAD_USER_INPUT');
  });

  test('recomputed from stored objects, it agrees with the stored result', async () => {
    for (const at of ['20d', '10d', '3d', undefined]) {
      const who = await h.service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, ...(at ? { at } : {}) });
      for (const entry of who.entries.items.filter((x) => !x.src.startsWith('ip:'))) {
        const e = await h.service.explain(READER, {
          cluster: 'demo',
          src: entry.src,
          dst: POSTGRES,
          ...(at ? { at } : {}),
        });
        expect(e.allowed, `${entry.src} at ${at}`).toEqual(entry.allowed);
      }
    }
  });
});

describe('exposure', () => {
  test('now: the database is open to the world, on 5432', async () => {
    const x = await h.service.exposure(READER, { cluster: 'demo' });
    expect(x.openToWorld).toContain(POSTGRES);
    expect(x.openToOutside.filter((o) => o.workload === POSTGRES).every((o) => o.allowed[0]!.protocol === 'TCP')).toBe(
      true,
    );
    expect(x.unprotected).toContain(REPORTS);
    expect(x.unprotected).not.toContain(POSTGRES);
    expect(x.policiesSelectingNothing).toEqual([]);
    expect(x.hostNetwork).toEqual([]);
  });

  test('before point 3 it was not', async () => {
    const x = await h.service.exposure(READER, { cluster: 'demo', at: '10d' });
    expect(x.openToWorld).not.toContain(POSTGRES);
    expect(x.openToOutside.map((o) => o.workload)).not.toContain(POSTGRES);
  });
});
