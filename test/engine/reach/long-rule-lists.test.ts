import { describe, expect, test } from 'vitest';
import { analyze } from '../../../engine/index.js';

/** Past 32 rules on one pod the matrix answers pairs from a per-node table: the answers must not change. */
describe('a pod under many policies', () => {
  const N = 45;
  const pod = (name: string, labels: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'app', labels },
    spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  const clients = Array.from({ length: N }, (_, k) => pod(`client-${k}`, { role: 'client', n: String(k) }));
  const ingress = Array.from({ length: N }, (_, k) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `in-${k}`, namespace: 'app' },
    spec: {
      podSelector: { matchLabels: { role: 'server' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { n: String(k) } } }], ports: [{ port: 1000 + k }] }],
    },
  }));
  const egress = Array.from({ length: N }, (_, k) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `out-${k}`, namespace: 'app' },
    spec: {
      podSelector: { matchLabels: { role: 'server' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { n: String(k) } } }], ports: [{ port: k % 2 ? 'http' : 2000 + k }] },
      ],
    },
  }));
  const reach = analyze([pod('server', { role: 'server' }), ...clients, ...ingress, ...egress]);

  test('ingress: each client reaches the server on exactly its own port', () => {
    for (let k = 0; k < N; k++)
      expect(reach.allowed(`app/client-${k}[Pod]`, 'app/server[Pod]').toString()).toBe(`TCP ${1000 + k}`);
  });

  test('egress: the server reaches each client on its rule, named ports resolved per client', () => {
    for (let k = 0; k < N; k++) {
      expect(reach.allowed('app/server[Pod]', `app/client-${k}[Pod]`).toString()).toBe(
        k % 2 ? 'TCP 8080' : `TCP ${2000 + k}`,
      );
    }
  });
});
