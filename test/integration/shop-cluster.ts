import type { FakeKubeApi } from '../support/fake-kube-api/fake-kube-api.js';
import type { FakeResource } from '../support/fake-kube-api/served-resources.js';

/**
 * A small shop as the API server would list it: web and api Deployments (pods owned by their
 * current ReplicaSet), a postgres StatefulSet, a Service each, and NetworkPolicies that let the
 * world reach web, web reach api, and api reach postgres.
 */
export interface ShopState {
  /** The web Deployment's current pod-template-hash: a rollout changes it (and the pods). */
  webHash: string;
  /** Addresses of the two web pods. */
  webIps: [string, string];
  /** The edit under test: db/postgres-from-api also admits shop/web. */
  postgresAdmitsWeb: boolean;
  /** Served as given, next to the valid objects. */
  extra?: Partial<Record<FakeResource, unknown[]>>;
}

export const INITIAL_SHOP: ShopState = {
  webHash: '6b7f9c8d5',
  webIps: ['10.0.1.10', '10.0.1.11'],
  postgresAdmitsWeb: false,
};

function namespace(name: string): unknown {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } };
}

const containers = (port: number) => [
  { name: 'main', image: 'registry.example/app:1.0', ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }] },
];

function pod(
  ns: string,
  name: string,
  ip: string,
  labels: Record<string, string>,
  owner: { kind: string; name: string },
  port = 8080,
): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels,
      uid: `uid-${ns}-${name}`,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true },
      ],
    },
    spec: { containers: containers(port), nodeName: 'node-1' },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

function replicaSet(ns: string, deployment: string, hash: string, replicas: number): unknown {
  const labels = { app: deployment, 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment}-${hash}`,
      namespace: ns,
      labels,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, uid: `uid-${deployment}`, controller: true },
      ],
    },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: containers(8080) } },
    },
  };
}

function service(ns: string, name: string, port: number, targetPort: number): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { selector: { app: name }, ports: [{ port, targetPort, protocol: 'TCP' }] },
  };
}

function policy(ns: string, name: string, spec: Record<string, unknown>): unknown {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

export function shopObjects(state: ShopState): Record<FakeResource, unknown[]> {
  const web = `web-${state.webHash}`;
  const webLabels = { app: 'web', 'pod-template-hash': state.webHash };
  const apiLabels = { app: 'api', 'pod-template-hash': '7c8d9e6f4' };
  const objects: Record<FakeResource, unknown[]> = {
    namespaces: [namespace('shop'), namespace('db')],
    pods: [
      pod('shop', `${web}-abcde`, state.webIps[0], webLabels, { kind: 'ReplicaSet', name: web }),
      pod('shop', `${web}-fghij`, state.webIps[1], webLabels, { kind: 'ReplicaSet', name: web }),
      pod('shop', 'api-7c8d9e6f4-klmno', '10.0.1.20', apiLabels, { kind: 'ReplicaSet', name: 'api-7c8d9e6f4' }),
      pod('db', 'postgres-0', '10.0.2.10', { app: 'postgres' }, { kind: 'StatefulSet', name: 'postgres' }, 5432),
    ],
    replicasets: [
      // The ReplicaSet of the previous rollout stays, scaled to zero, as Deployments keep history.
      replicaSet('shop', 'web', '4a5b6c7d8', 0),
      replicaSet('shop', 'web', state.webHash, 2),
      replicaSet('shop', 'api', '7c8d9e6f4', 1),
    ],
    services: [
      service('shop', 'web', 80, 8080),
      service('shop', 'api', 80, 8080),
      service('db', 'postgres', 5432, 5432),
    ],
    jobs: [],
    nodes: [],
    networkpolicies: [
      policy('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      policy('shop', 'web-from-anywhere', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      }),
      policy('shop', 'api-from-web', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
      }),
      policy('db', 'postgres-from-api', {
        podSelector: { matchLabels: { app: 'postgres' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
                podSelector: {
                  matchExpressions: [
                    { key: 'app', operator: 'In', values: state.postgresAdmitsWeb ? ['api', 'web'] : ['api'] },
                  ],
                },
              },
            ],
            ports: [{ port: 5432, protocol: 'TCP' }],
          },
        ],
      }),
    ],
    adminnetworkpolicies: [],
    baselineadminnetworkpolicies: [],
    clusternetworkpolicies: [],
  };
  for (const [resource, items] of Object.entries(state.extra ?? {}) as [FakeResource, unknown[]][]) {
    objects[resource] = [...objects[resource], ...items];
  }
  return objects;
}

export function serveShop(fake: FakeKubeApi, state: ShopState): void {
  for (const [resource, items] of Object.entries(shopObjects(state)) as [FakeResource, unknown[]][]) {
    fake.setObjects(resource, items);
  }
}

/** The versioned objects a snapshot of the shop stores: (kind, key) of each. */
export const SHOP_OBJECT_KEYS = [
  'Namespace db',
  'Namespace shop',
  'NetworkPolicy db/postgres-from-api',
  'NetworkPolicy shop/api-from-web',
  'NetworkPolicy shop/default-deny',
  'NetworkPolicy shop/web-from-anywhere',
  'Service db/postgres',
  'Service shop/api',
  'Service shop/web',
  'Workload db/postgres[StatefulSet]',
  'Workload shop/api[Deployment]',
  'Workload shop/web[Deployment]',
];

/**
 * One run of a `backup` CronJob: the Job (named after the run) and its pod, which carries the
 * run-specific labels the Job controller stamps on it.
 */
export function backupRun(run: string, ip: string): Partial<Record<FakeResource, unknown[]>> {
  const job = `backup-${run}`;
  const labels = {
    app: 'backup',
    'job-name': job,
    'batch.kubernetes.io/job-name': job,
    'controller-uid': `uid-${run}`,
  };
  return {
    jobs: [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: job,
          namespace: 'shop',
          ownerReferences: [
            { apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'uid-backup', controller: true },
          ],
        },
        spec: { template: { metadata: { labels }, spec: { containers: containers(8080), restartPolicy: 'Never' } } },
      },
    ],
    pods: [pod('shop', `${job}-x7k2p`, ip, labels, { kind: 'Job', name: job })],
  };
}
