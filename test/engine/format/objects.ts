/** Small Kubernetes objects for format tests (bodies as `analyze` takes them). */
export type Body = Record<string, unknown>;

export function pod(
  namespace: string,
  name: string,
  labels: Record<string, string> = { app: name },
  ports: Body[] = [],
): Body {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, labels },
    spec: { containers: [{ name: 'main', image: 'nginx', ports }] },
  };
}

export function policy(namespace: string, name: string, spec: Body): Body {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec };
}

/** `count` bare pods in one namespace and no policy: every pair connects (peers² lines). */
export function openCluster(count: number): Body[] {
  return Array.from({ length: count }, (_, i) => pod('load', `pod-${String(i).padStart(4, '0')}`));
}

/** Pods ns/a and ns/b; a policy lets anything reach ns/a on TCP 80 only. */
export function aOpenOnTcp80(): Body[] {
  return [
    pod('ns', 'a'),
    pod('ns', 'b'),
    policy('ns', 'a', {
      podSelector: { matchLabels: { app: 'a' } },
      ingress: [{ ports: [{ protocol: 'TCP', port: 80 }] }],
    }),
  ];
}
