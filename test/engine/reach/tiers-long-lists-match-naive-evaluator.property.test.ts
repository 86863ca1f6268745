import fc from 'fast-check';
import { describe, test } from 'vitest';
import type { Body } from '../../support/arbitrary-cluster.js';
import { tieredBodies, tieredCluster } from '../../support/arbitrary-admin-policies.js';
import { disagreements } from '../../support/naive-comparison.js';

/**
 * Past 32 entries on one pod the matrix answers pairs from per-node tables, interned sets and
 * memoized tier decisions (class-matrix.ts) instead of walking the rules. The random clusters
 * are small, so each case gets a NetworkPolicy and an AdminNetworkPolicy of 33 rules or more
 * each over namespace `alpha` (always present), the latter allowing something first (so the
 * Admin tier's allowed part and NetworkPolicy's verdict on the rest are both in play): every
 * pod they select is then past that threshold, and the engine must still agree with the naive
 * evaluator.
 */
const RULES = 33;
const APPS = ['a', 'b', 'c'];
/** Few distinct ports: the naive comparison samples every port a policy mentions. */
const PASSED_PORTS = [80, 443, 8080];

function longLists(): Body[] {
  const block = (k: number) => ({ cidr: `10.123.${k}.0/24` });
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'long-lists', namespace: 'alpha' },
      spec: {
        podSelector: { matchLabels: { team: 'a' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Array.from({ length: RULES }, (_, k) => ({
          from: [{ ipBlock: block(k) }],
          ports: [{ port: 9000 }],
        })),
        egress: Array.from({ length: RULES }, (_, k) => ({ to: [{ ipBlock: block(k) }], ports: [{ port: 9000 }] })),
      },
    },
    {
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'long-lists' },
      spec: {
        priority: 2,
        subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'alpha' } } },
        ingress: Array.from({ length: RULES }, (_, k) => ({
          action: k === 0 ? 'Allow' : 'Pass',
          from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: APPS[k % 3]! } } } }],
          ports: [{ portNumber: { protocol: 'TCP', port: PASSED_PORTS[k % 3]! } }],
        })),
        egress: [
          { action: 'Allow', to: [{ namespaces: {} }], ports: [{ portNumber: { protocol: 'TCP', port: 5432 } }] },
          ...Array.from({ length: RULES }, (_, k) => ({ action: 'Pass', to: [{ networks: [`10.123.${k}.0/24`] }] })),
        ],
      },
    },
  ];
}

describe('reachability with admin tiers over long rule lists', () => {
  test('a NetworkPolicy and an AdminNetworkPolicy of 33 rules or more added: still agrees with the naive evaluator on every pair and port', () => {
    fc.assert(
      fc.property(tieredCluster, (c) => {
        const wrong = disagreements([...tieredBodies(c), ...longLists()], { ipBlockMatchesPods: false });
        if (wrong.length > 0) throw new Error(`engine and naive evaluator disagree:\n${wrong.join('\n')}`);
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
