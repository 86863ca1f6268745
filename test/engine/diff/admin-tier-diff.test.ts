import { describe, expect, test } from 'vitest';
import { buildCluster, computeReachability, parseManifestText } from '../../../engine/index.js';
import { diffConnections, diffReachability } from '../../../engine/diff/diff.js';

/**
 * A change of the admin tiers alone (no NetworkPolicy touched) changes what pods may open: the
 * diff must see it whether the two results share pod classes (the worker's recomputation) or
 * are matched by key (stored results, `reachlog diff`).
 */
const PODS = `apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app, labels: {app: web}}
spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: app, labels: {app: api}}
spec: {containers: [{name: api, image: api}]}
`;
const DENY_WEB = `---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-web}
spec:
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}
  ingress:
  - action: Deny
    from: [{namespaces: {}}]
    ports: [{portNumber: {protocol: TCP, port: 80}}]
`;

const build = (text: string) => buildCluster(parseManifestText(text, 'all.yaml').objects);
const rows = (changes: Iterable<{ src: string; dst: string; change: string; after: { toString(): string } }>) =>
  [...changes].map((c) => [c.src, c.dst, c.change, c.after.toString()]);

describe('diff of an admin-tier change', () => {
  for (const [what, text] of [
    ['an AdminNetworkPolicy added', [PODS, PODS + DENY_WEB]],
    ['an AdminNetworkPolicy removed', [PODS + DENY_WEB, PODS]],
    ['an AdminNetworkPolicy port changed', [PODS + DENY_WEB, PODS + DENY_WEB.replace('port: 80', 'port: 81')]],
  ] as const) {
    test(`${what}: reported with shared classes and by key`, () => {
      const before = computeReachability(build(text[0]));
      const full = rows(diffConnections(before.connections(), computeReachability(build(text[1])).connections()));
      expect(full).toContainEqual(expect.arrayContaining(['app/api[Pod]', 'app/web[Pod]']));
      expect(rows(diffReachability(before, computeReachability(build(text[1]))))).toEqual(full);
      expect(rows(diffReachability(before, computeReachability(build(text[1]), {}, before)))).toEqual(full);
    });
  }
});
