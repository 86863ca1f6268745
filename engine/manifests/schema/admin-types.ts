import type { SchemaTypes } from './field-schema.js';
import { KUBE_TYPES } from './kube-types.generated.js';

/**
 * The field names of the admin policy kinds, as the network-policy-api CRDs define them
 * (kubernetes-sigs/network-policy-api: apis/v1alpha1 AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy, experimental channel; apis/v1alpha2 ClusterNetworkPolicy). No
 * package on the registry carries these schemas, so they are written out here, field for field
 * with the CRDs' openAPIV3Schema, in the shape kube-types.generated.ts uses.
 *
 * Peers are open (`...`): their types say "If a consumer observes none of its fields are set,
 * they must assume an unknown option has been specified and fail closed", so a peer of a newer
 * kind is read as unknown and fails closed (admin-fields.ts), never refused as a typo. Every
 * other level is closed: `ingres:` or `prority:` is an unknown field, as the API server says.
 */
const V1ALPHA1: SchemaTypes = {
  AdminNetworkPolicy: {
    apiVersion: '',
    kind: '',
    metadata: 'ObjectMeta',
    spec: 'AdminNetworkPolicySpec',
    status: '',
  },
  AdminNetworkPolicySpec: {
    priority: '',
    subject: 'AdminNetworkPolicySubject',
    ingress: '[]AdminNetworkPolicyIngressRule',
    egress: '[]AdminNetworkPolicyEgressRule',
  },
  BaselineAdminNetworkPolicy: {
    apiVersion: '',
    kind: '',
    metadata: 'ObjectMeta',
    spec: 'BaselineAdminNetworkPolicySpec',
    status: '',
  },
  BaselineAdminNetworkPolicySpec: {
    subject: 'AdminNetworkPolicySubject',
    ingress: '[]AdminNetworkPolicyIngressRule',
    egress: '[]AdminNetworkPolicyEgressRule',
  },
  AdminNetworkPolicySubject: { namespaces: 'LabelSelector', pods: 'NamespacedPod' },
  NamespacedPod: { namespaceSelector: 'LabelSelector', podSelector: 'LabelSelector' },
  AdminNetworkPolicyIngressRule: {
    name: '',
    action: '',
    from: '[]AdminNetworkPolicyIngressPeer',
    ports: '[]AdminNetworkPolicyPort',
  },
  AdminNetworkPolicyEgressRule: {
    name: '',
    action: '',
    to: '[]AdminNetworkPolicyEgressPeer',
    ports: '[]AdminNetworkPolicyPort',
  },
  AdminNetworkPolicyIngressPeer: { namespaces: 'LabelSelector', pods: 'NamespacedPod', '...': '' },
  AdminNetworkPolicyEgressPeer: {
    namespaces: 'LabelSelector',
    pods: 'NamespacedPod',
    nodes: 'LabelSelector',
    networks: '',
    '...': '',
  },
  AdminNetworkPolicyPort: { portNumber: 'AdminNetworkPolicyPortNumber', portRange: 'PortRange', namedPort: '' },
  AdminNetworkPolicyPortNumber: { protocol: '', port: '' },
  PortRange: { protocol: '', start: '', end: '' },
};

const V1ALPHA2: SchemaTypes = {
  ClusterNetworkPolicy: {
    apiVersion: '',
    kind: '',
    metadata: 'ObjectMeta',
    spec: 'ClusterNetworkPolicySpec',
    status: '',
  },
  ClusterNetworkPolicySpec: {
    tier: '',
    priority: '',
    subject: 'ClusterNetworkPolicySubject',
    ingress: '[]ClusterNetworkPolicyIngressRule',
    egress: '[]ClusterNetworkPolicyEgressRule',
  },
  ClusterNetworkPolicySubject: { namespaces: 'LabelSelector', pods: 'ClusterNetworkPolicyNamespacedPod' },
  ClusterNetworkPolicyNamespacedPod: { namespaceSelector: 'LabelSelector', podSelector: 'LabelSelector' },
  ClusterNetworkPolicyIngressRule: {
    name: '',
    action: '',
    from: '[]ClusterNetworkPolicyIngressPeer',
    protocols: '[]ClusterNetworkPolicyProtocol',
  },
  ClusterNetworkPolicyEgressRule: {
    name: '',
    action: '',
    to: '[]ClusterNetworkPolicyEgressPeer',
    protocols: '[]ClusterNetworkPolicyProtocol',
  },
  ClusterNetworkPolicyIngressPeer: {
    namespaces: 'LabelSelector',
    pods: 'ClusterNetworkPolicyNamespacedPod',
    '...': '',
  },
  ClusterNetworkPolicyEgressPeer: {
    namespaces: 'LabelSelector',
    pods: 'ClusterNetworkPolicyNamespacedPod',
    nodes: 'LabelSelector',
    networks: '',
    domainNames: '',
    '...': '',
  },
  ClusterNetworkPolicyProtocol: {
    tcp: 'ClusterNetworkPolicyProtocolPort',
    udp: 'ClusterNetworkPolicyProtocolPort',
    sctp: 'ClusterNetworkPolicyProtocolPort',
    destinationNamedPort: '',
  },
  ClusterNetworkPolicyProtocolPort: { destinationPort: 'ClusterNetworkPolicyPort' },
  ClusterNetworkPolicyPort: { number: '', range: 'ClusterNetworkPolicyPortRange' },
  ClusterNetworkPolicyPortRange: { start: '', end: '' },
};

export const ADMIN_KINDS: Record<string, string> = {
  'policy.networking.k8s.io/v1alpha1/AdminNetworkPolicy': 'AdminNetworkPolicy',
  'policy.networking.k8s.io/v1alpha1/BaselineAdminNetworkPolicy': 'BaselineAdminNetworkPolicy',
  'policy.networking.k8s.io/v1alpha2/ClusterNetworkPolicy': 'ClusterNetworkPolicy',
};

/** ObjectMeta and LabelSelector come from the Kubernetes schemas. */
export const ADMIN_TYPES: SchemaTypes = { ...KUBE_TYPES, ...V1ALPHA1, ...V1ALPHA2 };
