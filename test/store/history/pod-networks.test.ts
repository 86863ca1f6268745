import { describe, expect, test } from 'vitest';
import { buildCluster, type RawObject } from '../../../engine/index.js';
import { objectItems } from '../../../store/history/objects.js';

/**
 * Admin `networks` peers match pods by address, so the stored workload says which of them hold
 * its pods: a pod moving into one is a new version (the snapshot is recomputed, the workload
 * named as the cause); elsewhere a pod's address is not history.
 */
const pod = (ip: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'app', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
  status: { podIP: ip, podIPs: [{ ip }] },
});
const denyToTen = {
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'no-ten' },
  spec: {
    tier: 'Admin',
    priority: 1,
    subject: { namespaces: {} },
    egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }] }],
  },
};

function workloadItem(bodies: Record<string, unknown>[]) {
  const objects: RawObject[] = bodies.map((body, i) => ({ source: { file: 'test.yaml', doc: i + 1 }, body }));
  const cluster = buildCluster(objects);
  expect(cluster.errors).toEqual([]);
  return objectItems(cluster, objects, cluster.errors).find((i) => i.kind === 'Workload')!;
}

describe('pod addresses in the stored history', () => {
  test('a pod moving into an admin networks peer is a new workload version that names the network', () => {
    const outside = workloadItem([pod('192.168.0.5'), denyToTen]);
    const inside = workloadItem([pod('10.0.0.5'), denyToTen]);
    expect(inside.hash).not.toBe(outside.hash);
    expect(inside.body).toMatchObject({
      variants: [{ labels: { app: 'web' }, networks: [{ family: 4, networks: ['10.0.0.0/8'] }] }],
    });
    // The address itself is never kept: only its family and the peers holding it.
    expect(outside.body).toMatchObject({
      variants: [{ labels: { app: 'web' }, networks: [{ family: 4, networks: [] }] }],
    });
    expect(JSON.stringify(inside.body)).not.toContain('10.0.0.5');
    // Moving within the network is not a change.
    expect(workloadItem([pod('10.9.9.9'), denyToTen]).hash).toBe(inside.hash);
  });

  test('without networks peers a pod address is not part of the workload', () => {
    expect(workloadItem([pod('10.0.0.5')]).hash).toBe(workloadItem([pod('192.168.0.5')]).hash);
    expect((workloadItem([pod('10.0.0.5')]).body as { variants: object[] }).variants[0]).not.toHaveProperty('networks');
  });
});
