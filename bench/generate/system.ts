import { namespacePlan, type NamespacePlan } from './namespaces.js';
import type { AppSpec } from './vocabulary.js';

/**
 * Namespaces every real cluster has and application policies point at: DNS (egress rules
 * allow UDP/TCP 53 to it), the metrics scraper and the ingress controller (ingress rules
 * allow them in by namespace label). None has policies of its own.
 */
export interface SystemWorkload {
  namespace: NamespacePlan;
  app: AppSpec;
  replicas: number;
}

export const SYSTEM_WORKLOADS: readonly SystemWorkload[] = [
  {
    namespace: namespacePlan('kube-system', 'platform', 'prod'),
    app: {
      app: 'coredns',
      tier: 'backend',
      controller: 'Deployment',
      image: 'registry.k8s.io/coredns/coredns:v1.11.1',
      labels: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
      ],
    },
    replicas: 2,
  },
  {
    namespace: namespacePlan('monitoring', 'platform', 'prod', { purpose: 'monitoring' }),
    app: {
      app: 'prometheus',
      tier: 'backend',
      controller: 'StatefulSet',
      image: 'quay.io/prometheus/prometheus:v2.53.0',
      ports: [{ name: 'web', containerPort: 9090, protocol: 'TCP' }],
    },
    replicas: 1,
  },
  {
    namespace: namespacePlan('ingress-nginx', 'platform', 'prod'),
    app: {
      app: 'ingress-nginx-controller',
      tier: 'web',
      controller: 'Deployment',
      image: 'registry.k8s.io/ingress-nginx/controller:v1.11.1',
      labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
      ports: [
        { name: 'http', containerPort: 80, protocol: 'TCP' },
        { name: 'https', containerPort: 443, protocol: 'TCP' },
      ],
    },
    replicas: 2,
  },
];

export const SYSTEM_PODS = SYSTEM_WORKLOADS.reduce((n, w) => n + w.replicas, 0);
