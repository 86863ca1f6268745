import { describe, expect, test } from 'vitest';
import { buildCluster, type RawObject } from '../../../engine/index.js';
import { clusterFromObjects } from '../../../api/services/stored-cluster.js';
import { objectItems, snapshotObjects } from '../../../store/history/objects.js';
import { kubeNode } from '../../support/fake-kube-api/objects.js';

const raw = (bodies: Record<string, unknown>[]): RawObject[] =>
  bodies.map((body, i) => ({ source: { file: 'kube:test/nodes', doc: i + 1 }, body }));

const itemsOf = (bodies: Record<string, unknown>[]) => {
  const objects = raw(bodies);
  const cluster = buildCluster(objects);
  return objectItems(cluster, objects, cluster.errors);
};

describe('Nodes in the stored history', () => {
  test('stored as labels and IPs: a heartbeat alone writes no new version', () => {
    const [first] = itemsOf([kubeNode('node-1', { zone: 'a' }, '192.168.0.11', '2025-06-01T12:00:00Z')]);
    const [later] = itemsOf([kubeNode('node-1', { zone: 'a' }, '192.168.0.11', '2025-06-01T12:00:40Z')]);
    expect(first).toMatchObject({
      kind: 'Node',
      key: 'node-1',
      body: { labels: { zone: 'a' }, addresses: [{ type: 'InternalIP', address: '192.168.0.11' }] },
    });
    expect(later!.hash).toBe(first!.hash);
    const [moved] = itemsOf([kubeNode('node-1', { zone: 'a' }, '192.168.0.12')]);
    expect(moved!.hash).not.toBe(first!.hash);
  });

  test('a stored point in time rebuilds the Nodes admin nodes peers match', () => {
    const items = itemsOf([kubeNode('node-1', { zone: 'a' }, '192.168.0.11')]);
    const cluster = clusterFromObjects(snapshotObjects(items), 7);
    expect(cluster.nodes.map((n) => [n.name, n.labels, n.addresses.isEmpty()])).toEqual([
      ['node-1', { zone: 'a' }, false],
    ]);
    expect(cluster.errors).toEqual([]);
  });
});
