/**
 * Objects as a test would create them (with kind and apiVersion; the fake strips them from
 * built-in list items as the apiserver does). Sized like small real ones so pages are realistic.
 */
export function namespace(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
  };
}

export function pod(ns: string, name: string, labels: Record<string, string> = { app: name }): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, uid: `uid-${ns}-${name}` },
    spec: {
      containers: [
        { name: 'main', image: 'registry.example/app:1.0', ports: [{ containerPort: 8080, protocol: 'TCP' }] },
      ],
      nodeName: 'node-1',
    },
    status: { phase: 'Running', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] },
  };
}

export function pods(count: number, ns = 'default'): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => pod(ns, `pod-${String(i).padStart(5, '0')}`));
}

export function service(ns: string, name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  };
}

/** A Node with the status fields that change every heartbeat, as a real one has them. */
export function kubeNode(name: string, labels: Record<string, string>, ip: string, heartbeat = '2025-06-01T12:00:00Z') {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, resourceVersion: heartbeat },
    status: {
      addresses: [
        { type: 'Hostname', address: name },
        { type: 'InternalIP', address: ip },
      ],
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat }],
    },
  };
}

export function networkPolicy(ns: string, name: string): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
}

/** CRD objects are stored without kind/apiVersion here; the fake adds them as an unstructured list does. */
export function adminNetworkPolicy(name: string, priority: number): Record<string, unknown> {
  return {
    metadata: { name },
    spec: {
      priority,
      subject: { namespaces: {} },
      ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }],
    },
  };
}

export function baselineAdminNetworkPolicy(): Record<string, unknown> {
  return { metadata: { name: 'default' }, spec: { subject: { namespaces: {} }, ingress: [] } };
}

export function clusterNetworkPolicy(name: string, tier: 'Admin' | 'Baseline'): Record<string, unknown> {
  return { metadata: { name }, spec: { tier, priority: 10, subject: { namespaces: {} }, ingress: [] } };
}
