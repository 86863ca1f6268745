import { describe, expect, test } from 'vitest';
import { analyze } from '../../../engine/index.js';

/**
 * `n In (v010, v090)` selects the pods of both values whatever order the classes were numbered
 * in. Its classes were listed value by value (89, then 9), and a peer answers membership by
 * binary search: the pod of the second value was reported unreachable. `m Exists` likewise
 * joined its values' classes as 5, 95, 50.
 */
describe('a set-based selector whose values list classes out of their order', () => {
  const pod = (name: string, labels: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'app', labels },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });
  const padded = (k: number) => String(k).padStart(3, '0');
  // Client c-K carries n=v(99-K): value order is the reverse of the classes' order. Three
  // carry m: b, a, b, so that m's postings joined value by value are 5, 95, 50.
  const m: Record<number, string> = { 5: 'b', 50: 'a', 95: 'b' };
  const clients = Array.from({ length: 100 }, (_, k) =>
    pod(`c-${padded(k)}`, { n: `v${padded(99 - k)}`, ...(m[k] ? { m: m[k] } : {}) }),
  );
  const peer = (operator: 'In' | 'Exists', key: string, values: string[]) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `from-${operator.toLowerCase()}`, namespace: 'app' },
    spec: {
      podSelector: { matchLabels: { role: operator === 'In' ? 'server' : 'other' } },
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key, operator, values }] } }] }],
    },
  });
  const reach = analyze([
    pod('server', { role: 'server' }),
    pod('other', { role: 'other' }),
    ...clients,
    peer('In', 'n', ['v010', 'v090']),
    peer('Exists', 'm', []),
  ]);

  test('In: both values reach the server, no other value does', () => {
    expect(reach.allowed('app/c-089[Pod]', 'app/server[Pod]').isEmpty()).toBe(false);
    expect(reach.allowed('app/c-009[Pod]', 'app/server[Pod]').isEmpty()).toBe(false);
    expect(reach.allowed('app/c-050[Pod]', 'app/server[Pod]').isEmpty()).toBe(true);
  });

  test('Exists: each client carrying the key reaches, no other does', () => {
    for (const k of [5, 50, 95])
      expect(reach.allowed(`app/c-${padded(k)}[Pod]`, 'app/other[Pod]').isEmpty()).toBe(false);
    expect(reach.allowed('app/c-051[Pod]', 'app/other[Pod]').isEmpty()).toBe(true);
  });
});
