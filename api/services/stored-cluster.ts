import {
  buildCluster,
  type Cluster,
  type RawObject,
  type SourceRef,
  type Workload,
  namespaceWithName,
  networksPeers,
  standInAddress,
} from '../../engine/index.js';
import type { SnapshotObjects } from '../../store/history/objects.js';

/**
 * The engine's Cluster rebuilt from the object versions of one snapshot, so that a stored
 * point in time can be explained from the policies themselves. Namespaces, policies and Nodes
 * go through buildCluster as API objects; each workload gets one template pod per stored
 * variant (its pods' distinct labels and named ports, which is all selectors can see). Where
 * admin `networks` peers matched pods by IP, each template pod gets stand-in addresses held by
 * exactly the peers that held its pods' addresses then (networks-cells.ts), so the answer is
 * the one the worker computed from the real addresses.
 */
export function clusterFromObjects(objects: SnapshotObjects, snapshotId: number): Cluster {
  const file = `snapshot ${snapshotId}`;
  const raw: RawObject[] = [];
  for (const [name, labels] of objects.namespaces) {
    raw.push({
      source: { file, doc: raw.length + 1 },
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } },
    });
  }
  // Admin tiers are stored beside NetworkPolicies; buildCluster reads both, as the snapshot did.
  for (const p of objects.policies) raw.push({ source: { file, doc: raw.length + 1 }, body: p.body });
  for (const [name, node] of objects.nodes) {
    raw.push({
      source: { file, doc: raw.length + 1 },
      body: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: node.labels },
        status: { addresses: node.addresses },
      },
    });
  }
  const cluster = buildCluster(raw);
  const networks = networksPeers(cluster);

  cluster.workloads = objects.workloads.map((w): Workload => {
    const source: SourceRef = { file, doc: 0 };
    return {
      id: w.id,
      namespace: w.namespace,
      name: w.name,
      kind: w.kind,
      hostNetwork: w.hostNetwork,
      pods: w.variants.map((v, i) => ({
        namespace: w.namespace,
        name: w.variants.length > 1 ? `${w.name}#${i + 1}` : w.name,
        labels: v.labels,
        namedPorts: v.namedPorts,
        ips: (v.networks ?? []).flatMap((cell) => standInAddress(networks, cell) ?? []),
        hostNetwork: w.hostNetwork,
        workloadId: w.id,
        fromTemplate: true,
        source,
      })),
    };
  });
  cluster.services = [...objects.services.values()].map((s) => ({
    namespace: s.namespace,
    name: s.name,
    ...(s.selector ? { selector: s.selector } : {}),
    ports: s.ports,
    source: { file, doc: 0 },
  }));
  for (const w of cluster.workloads) {
    if (!cluster.namespaces.has(w.namespace)) cluster.namespaces.set(w.namespace, namespaceWithName(w.namespace));
  }
  return cluster;
}
