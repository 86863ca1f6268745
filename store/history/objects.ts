/**
 * The stored-history format of objects, written and read here only: what a snapshot stores as
 * object versions (objectItems) and how a stored point in time reads back (snapshotObjects).
 */
import {
  VOLATILE_LABELS,
  addressCells,
  networksPeers,
  type AddressCell,
  type AddressSet,
  type Cluster,
  type InputError,
  type Labels,
  type NamedPort,
  type RawObject,
  type ServicePort,
  type Workload,
} from '../../engine/index.js';
import type { VersionRow } from '../versions.repository.js';
import { hashOf } from './content-hash.js';

/** Policy kinds stored as declared (cleaned API objects); only NetworkPolicy is evaluated. */
const POLICY_KINDS: readonly string[] = [
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
];
export const OBJECT_KINDS = ['Namespace', 'Workload', 'Service', 'Node', ...POLICY_KINDS];

export function isPolicyKind(kind: string): boolean {
  return POLICY_KINDS.includes(kind);
}

function item(kind: string, key: string, body: unknown): VersionRow {
  return { kind, key, hash: hashOf(body), body };
}

function withoutVolatile(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out = { ...labels };
  for (const k of VOLATILE_LABELS) delete out[k];
  return out;
}

/**
 * A workload as history keeps it: its distinct pod variants, not its pods. Where admin
 * `networks` peers exist they match pods by IP, so a variant is also told apart by the peers
 * holding its pods' addresses (networks-cells.ts): never the addresses, which change on every
 * restart, and nothing more for clusters without such peers.
 */
function workloadBody(w: Workload, networks: ReadonlyMap<string, AddressSet>): unknown {
  const variants = new Map<string, { labels: Record<string, string>; namedPorts: unknown; networks?: AddressCell[] }>();
  for (const pod of w.pods) {
    const variant = {
      labels: withoutVolatile(pod.labels),
      namedPorts: [...pod.namedPorts].sort((a, b) => a.name.localeCompare(b.name)),
      ...(networks.size > 0 ? { networks: addressCells(networks, pod.ips) } : {}),
    };
    variants.set(hashOf(variant), variant);
  }
  return {
    namespace: w.namespace,
    name: w.name,
    kind: w.kind,
    hostNetwork: w.hostNetwork,
    variants: [...variants.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v),
  };
}

function cleanPolicy(body: Record<string, unknown>): unknown {
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  return {
    apiVersion: body.apiVersion,
    kind: body.kind,
    metadata: { name: meta.name, namespace: meta.namespace, labels: meta.labels },
    spec: body.spec,
  };
}

/** A Node as admin `nodes` peers see it: labels and IPs; its status otherwise churns every heartbeat. */
function nodeBody(body: Record<string, unknown>): StoredNode {
  const meta = (body.metadata ?? {}) as { labels?: Labels };
  const status = (body.status ?? {}) as { addresses?: { type?: unknown; address?: unknown }[] };
  const addresses = (Array.isArray(status.addresses) ? status.addresses : [])
    .filter((a) => (a.type === 'InternalIP' || a.type === 'ExternalIP') && typeof a.address === 'string')
    .map((a) => ({ type: a.type as string, address: a.address as string }))
    .sort((a, b) => byText(`${a.type} ${a.address}`, `${b.type} ${b.address}`));
  return { labels: meta.labels ?? {}, addresses };
}

function sourceKey(s: { file: string; doc: number; item?: number }): string {
  return `${s.file}\u0000${s.doc}\u0000${s.item ?? ''}`;
}

/**
 * The objects a snapshot stores as versions: namespaces, workloads and services as the engine
 * normalized them, policies (admin tiers too) as declared, Nodes as their labels and IPs.
 * Invalid objects are left out.
 */
export function objectItems(cluster: Cluster, raw: readonly RawObject[], invalid: readonly InputError[]): VersionRow[] {
  const items: VersionRow[] = [];
  for (const ns of cluster.namespaces.values()) items.push(item('Namespace', ns.name, { labels: ns.labels }));
  const networks = networksPeers(cluster);
  for (const w of cluster.workloads) items.push(item('Workload', w.id, workloadBody(w, networks)));
  for (const s of cluster.services) {
    items.push(item('Service', `${s.namespace}/${s.name}`, { selector: s.selector ?? null, ports: s.ports }));
  }
  const bad = new Set(invalid.map((e) => sourceKey(e.source)));
  for (const { source, body } of raw) {
    if (typeof body.kind !== 'string' || bad.has(sourceKey(source))) continue;
    const meta = (body.metadata ?? {}) as Record<string, unknown>;
    if (body.kind === 'Node') items.push(item('Node', `${meta.name}`, nodeBody(body)));
    if (!isPolicyKind(body.kind)) continue;
    const key = meta.namespace ? `${meta.namespace}/${meta.name}` : `${meta.name}`;
    items.push(item(body.kind, key, cleanPolicy(body)));
  }
  return items;
}

/** A workload as history keeps it (workloadBody above): its pod variants. */
export interface StoredWorkload {
  id: string;
  namespace: string;
  name: string;
  kind: string;
  hostNetwork: boolean;
  /** `networks`: present where the snapshot's admin policies have `networks` peers (workloadBody). */
  variants: { labels: Labels; namedPorts: NamedPort[]; networks?: AddressCell[] }[];
}

export interface StoredService {
  namespace: string;
  name: string;
  /** Null for a Service without selector (endpoints managed by hand). */
  selector: Labels | null;
  ports: ServicePort[];
}

export interface StoredNode {
  labels: Labels;
  /** status.addresses of type InternalIP and ExternalIP, sorted. */
  addresses: { type: string; address: string }[];
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
  /** By name; only where the cluster has admin policies (they are read for `nodes` peers). */
  nodes: Map<string, StoredNode>;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function snapshotObjects(rows: readonly VersionRow[]): SnapshotObjects {
  const objects: SnapshotObjects = {
    namespaces: new Map(),
    workloads: [],
    workloadById: new Map(),
    services: new Map(),
    policies: [],
    nodes: new Map(),
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
    } else if (row.kind === 'Node') {
      objects.nodes.set(row.key, row.body as StoredNode);
    } else if (isPolicyKind(row.kind)) {
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
