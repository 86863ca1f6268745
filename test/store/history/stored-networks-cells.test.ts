import { describe, expect, test } from 'vitest';
import { buildCluster, parseManifestText } from '../../../engine/index.js';
import { objectItems } from '../../../store/history/objects.js';

/** Workload versions as history stores them, with and without admin `networks` peers. */
const pod = (ip: string) => `
apiVersion: v1
kind: Pod
metadata: { name: batch-1, namespace: shop, labels: { app: batch } }
spec: { containers: [{ name: c, image: x }] }
status: { podIP: ${ip} }
`;
const NETWORKS = `
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: no-legacy-subnet }
spec:
  priority: 5
  subject: { namespaces: {} }
  egress: [{ action: Deny, to: [{ networks: [10.8.0.0/16] }] }]
`;

function workloadItem(text: string) {
  const { objects } = parseManifestText(text, 'cluster.yaml');
  const cluster = buildCluster(objects);
  return objectItems(cluster, objects, cluster.errors).find((i) => i.kind === 'Workload')!;
}

describe('pod addresses in the stored history', () => {
  test('without networks peers a workload stores no address facts: a restart writes no new version', () => {
    const before = workloadItem(pod('10.8.0.5'));
    expect(JSON.stringify(before.body)).not.toContain('networks');
    expect(workloadItem(pod('10.9.0.9')).hash).toBe(before.hash);
  });

  test('with them, which peers held the address: a restart inside the same networks writes none, leaving them one', () => {
    const held = workloadItem(`${pod('10.8.0.5')}---${NETWORKS}`);
    expect(held.body).toMatchObject({ variants: [{ networks: [{ family: 4, networks: ['10.8.0.0/16'] }] }] });
    expect(JSON.stringify(held.body)).not.toContain('10.8.0.5');
    expect(workloadItem(`${pod('10.8.3.3')}---${NETWORKS}`).hash).toBe(held.hash);
    expect(workloadItem(`${pod('10.9.0.9')}---${NETWORKS}`).hash).not.toBe(held.hash);
  });
});
