import type { Labels, NamedPort, ServicePort } from '../../engine/index.js';
import type { VersionRow } from './repositories/versions.repository.js';

/** Policy kinds stored as declared (cleaned API objects); only NetworkPolicy is evaluated. */
export const POLICY_KINDS = [
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
];
export const OBJECT_KINDS = ['Namespace', 'Workload', 'Service', ...POLICY_KINDS];

/** A workload as history keeps it (worker/snapshot/object-items.ts workloadBody): its pod variants. */
export interface StoredWorkload {
  id: string;
  namespace: string;
  name: string;
  kind: string;
  hostNetwork: boolean;
  variants: { labels: Labels; namedPorts: NamedPort[] }[];
}

export interface StoredService {
  namespace: string;
  name: string;
  /** Null for a Service without selector (endpoints managed by hand). */
  selector: Labels | null;
  ports: ServicePort[];
}

export interface StoredPolicy {
  kind: string;
  key: string;
  hash: string;
  body: Record<string, unknown>;
}

/** The objects valid at one snapshot, typed. */
export interface SnapshotObjects {
  namespaces: Map<string, Labels>;
  /** Sorted by id. */
  workloads: StoredWorkload[];
  workloadById: Map<string, StoredWorkload>;
  /** By `namespace/name`. */
  services: Map<string, StoredService>;
  /** Sorted by kind, then key. */
  policies: StoredPolicy[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function snapshotObjects(rows: readonly VersionRow[]): SnapshotObjects {
  const objects: SnapshotObjects = {
    namespaces: new Map(),
    workloads: [],
    workloadById: new Map(),
    services: new Map(),
    policies: [],
  };
  for (const row of rows) {
    if (row.kind === 'Namespace') {
      objects.namespaces.set(row.key, (row.body as { labels?: Labels }).labels ?? {});
    } else if (row.kind === 'Workload') {
      const body = row.body as Omit<StoredWorkload, 'id'>;
      const w: StoredWorkload = { ...body, id: row.key, variants: body.variants ?? [] };
      objects.workloads.push(w);
      objects.workloadById.set(w.id, w);
    } else if (row.kind === 'Service') {
      const slash = row.key.indexOf('/');
      const body = row.body as { selector: Labels | null; ports: ServicePort[] };
      objects.services.set(row.key, {
        namespace: row.key.slice(0, slash),
        name: row.key.slice(slash + 1),
        selector: body.selector ?? null,
        ports: body.ports ?? [],
      });
    } else if (POLICY_KINDS.includes(row.kind)) {
      objects.policies.push({
        kind: row.kind,
        key: row.key,
        hash: row.hash,
        body: row.body as Record<string, unknown>,
      });
    }
  }
  objects.workloads.sort((a, b) => byText(a.id, b.id));
  objects.policies.sort((a, b) => byText(a.kind, b.kind) || byText(a.key, b.key));
  return objects;
}

/** Whether some pod variant of the workload has labels the predicate accepts. */
export function someVariant(w: StoredWorkload, accepts: (labels: Labels) => boolean): boolean {
  return w.variants.some((v) => accepts(v.labels));
}
