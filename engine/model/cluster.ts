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

export interface Cluster {
  namespaces: Map<string, Namespace>;
  workloads: Workload[];
  services: Service[];
  policies: NetworkPolicy[];
  /** Objects left out because they were invalid (in strict mode the caller stops instead). */
  errors: InputError[];
  /** Kind → number of objects of kinds reachlog does not read. */
  skippedKinds: Map<string, number>;
}
