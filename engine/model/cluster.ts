import type { AddressSet, ParsedCidr } from '../sets/address-set.js';
import type { Protocol } from '../sets/connection-set.js';
import type { LabelSelector, Labels } from '../select/label-selector.js';
import type { InputError } from './input-error.js';
import type { SourceRef } from './source.js';

/** The normalized cluster the engine computes on. */

export interface Namespace {
  name: string;
  /** Always includes `kubernetes.io/metadata.name`, as the API server sets it. */
  labels: Labels;
  source?: SourceRef;
}

export interface NamedPort {
  name: string;
  protocol: Protocol;
  port: number;
}

/** A pod, or a controller's pod template standing for pods not in the input. */
export interface Pod {
  namespace: string;
  name: string;
  labels: Labels;
  namedPorts: readonly NamedPort[];
  ips: readonly string[];
  hostNetwork: boolean;
  workloadId: string;
  fromTemplate: boolean;
  source: SourceRef;
}

export type WorkloadKind =
  | 'Pod'
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'ReplicaSet'
  | 'ReplicationController'
  | 'Job'
  | 'CronJob'
  | string;

/** Pods grouped by their top owner: `namespace/name[Kind]`. */
export interface Workload {
  id: string;
  namespace: string;
  name: string;
  kind: WorkloadKind;
  pods: Pod[];
  /** Pods with `hostNetwork: true` are outside NetworkPolicy's reach. */
  hostNetwork: boolean;
}

export interface ServicePort {
  name?: string;
  protocol: Protocol;
  port: number;
  /** A number, or the name of a container port on the selected pods. */
  targetPort: number | string;
}

export interface Service {
  namespace: string;
  name: string;
  /** Undefined for a Service without selector (manually managed endpoints). */
  selector?: Labels;
  ports: ServicePort[];
  source: SourceRef;
}

export interface PolicyPort {
  protocol: Protocol;
  /** Absent: every port of the protocol. A string is a named port, resolved per destination pod. */
  port?: number | string;
  endPort?: number;
}

export type PolicyPeer =
  | {
      kind: 'pods';
      /** null: the policy's own namespace (no namespaceSelector given). */
      namespaceSelector: LabelSelector | null;
      podSelector: LabelSelector;
    }
  | { kind: 'ipBlock'; cidr: ParsedCidr; except: ParsedCidr[]; addresses: AddressSet };

export interface PolicyRule {
  /** Index in the policy's ingress or egress list. */
  index: number;
  /** 'all': `from`/`to` absent or empty, every peer inside and outside the cluster. */
  peers: PolicyPeer[] | 'all';
  /** 'all': `ports` absent or empty. */
  ports: PolicyPort[] | 'all';
}

export interface NetworkPolicy {
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  /** After the API server's defaulting of policyTypes. */
  affectsIngress: boolean;
  affectsEgress: boolean;
  ingress: PolicyRule[];
  egress: PolicyRule[];
  source: SourceRef;
}

/** The kinds of the cluster-scoped tiers (policy.networking.k8s.io). */
export type AdminPolicyKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';

/**
 * What a matching rule does. ClusterNetworkPolicy's `Accept` is stored as `Allow` (the same
 * final decision); `AdminPolicy.kind` keeps the word for messages.
 */
export type AdminAction = 'Allow' | 'Deny' | 'Pass';

/**
 * An admin peer. `pods` covers both upstream shapes: `namespaces` (every pod of the selected
 * namespaces: podSelector everything) and `pods` (namespaceSelector AND podSelector).
 * `networks` and `nodes` are egress-only; `domainNames` cannot be decided from objects;
 * `unknown` is a peer with none of the fields this version knows (upstream: fail closed).
 */
export type AdminPeer =
  | { kind: 'pods'; namespaceSelector: LabelSelector; podSelector: LabelSelector }
  | { kind: 'networks'; cidrs: ParsedCidr[]; addresses: AddressSet }
  | { kind: 'nodes'; selector: LabelSelector }
  | { kind: 'domainNames'; names: string[] }
  | { kind: 'unknown'; fields: string[] };

export interface AdminRule {
  /** Index in the policy's ingress or egress list: rules are evaluated in this order. */
  index: number;
  name?: string;
  action: AdminAction;
  /** At least one; any match applies the action. */
  peers: AdminPeer[];
  /** 'all': ports/protocols absent (the rule does not filter by port). A named port matches any protocol. */
  ports: PolicyPort[] | 'all';
}

/** The BaselineAdminNetworkPolicy has no priority: it sorts after every Baseline-tier ClusterNetworkPolicy. */
export const BASELINE_PRIORITY = 1001;

/** AdminNetworkPolicy, BaselineAdminNetworkPolicy (v1alpha1) or ClusterNetworkPolicy (v1alpha2). */
export interface AdminPolicy {
  kind: AdminPolicyKind;
  name: string;
  /** Admin: before NetworkPolicy; Baseline: for what NetworkPolicy leaves unisolated. */
  tier: 'Admin' | 'Baseline';
  /** 0–1000, lower first; the BaselineAdminNetworkPolicy singleton has none and counts as 1001. */
  priority: number;
  /** The subject: pods of the selected namespaces that the podSelector selects (everything for `namespaces`). */
  subject: { namespaceSelector: LabelSelector; podSelector: LabelSelector };
  ingress: AdminRule[];
  egress: AdminRule[];
  source: SourceRef;
}

/** A Node, for `nodes` peers: its labels and the addresses in `status.addresses`. */
export interface ClusterNode {
  name: string;
  labels: Labels;
  addresses: AddressSet;
  source: SourceRef;
}

export interface Cluster {
  namespaces: Map<string, Namespace>;
  workloads: Workload[];
  services: Service[];
  policies: NetworkPolicy[];
  /** AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects. */
  adminPolicies: AdminPolicy[];
  /** Node objects (only `nodes` peers read them); empty when the input has none. */
  nodes: ClusterNode[];
  /** Objects left out because they were invalid (in strict mode the caller stops instead). */
  errors: InputError[];
  /** Kind → number of objects of kinds reachlog does not read. */
  skippedKinds: Map<string, number>;
}
