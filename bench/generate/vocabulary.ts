/**
 * The words synthetic clusters are made of. Small on purpose: selectors written with them
 * match often enough that policies interact, as they do in real clusters.
 */

export interface ContainerPortSpec {
  name: string;
  containerPort: number;
  protocol: 'TCP' | 'UDP';
}

export interface AppSpec {
  app: string;
  tier: 'web' | 'backend' | 'data';
  controller: 'Deployment' | 'StatefulSet';
  image: string;
  ports: ContainerPortSpec[];
  /** Labels beyond app/tier/team/version (e.g. `k8s-app: kube-dns`). */
  labels?: Record<string, string>;
}

const http = (containerPort = 8080): ContainerPortSpec => ({ name: 'http', containerPort, protocol: 'TCP' });
const metrics: ContainerPortSpec = { name: 'metrics', containerPort: 9102, protocol: 'TCP' };

/** The apps a namespace is filled with, in this order (the first ones appear everywhere). */
export const APPS: readonly AppSpec[] = [
  { app: 'frontend', tier: 'web', controller: 'Deployment', image: 'nginx:1.27', ports: [http(8080), metrics] },
  {
    app: 'api',
    tier: 'backend',
    controller: 'Deployment',
    image: 'registry.example.com/api:2.4.1',
    ports: [http(8080), { name: 'grpc', containerPort: 9090, protocol: 'TCP' }, metrics],
  },
  {
    app: 'db',
    tier: 'data',
    controller: 'StatefulSet',
    image: 'postgres:16',
    ports: [{ name: 'postgres', containerPort: 5432, protocol: 'TCP' }],
  },
  {
    app: 'worker',
    tier: 'backend',
    controller: 'Deployment',
    image: 'registry.example.com/worker:2.4.1',
    ports: [metrics],
  },
  {
    app: 'cache',
    tier: 'data',
    controller: 'StatefulSet',
    image: 'redis:7.2',
    ports: [{ name: 'redis', containerPort: 6379, protocol: 'TCP' }],
  },
  {
    app: 'auth',
    tier: 'backend',
    controller: 'Deployment',
    image: 'registry.example.com/auth:1.9.0',
    ports: [http(8443), metrics],
  },
  {
    app: 'queue',
    tier: 'data',
    controller: 'StatefulSet',
    image: 'rabbitmq:3.13',
    ports: [{ name: 'amqp', containerPort: 5672, protocol: 'TCP' }],
  },
  {
    app: 'search',
    tier: 'backend',
    controller: 'Deployment',
    image: 'registry.example.com/search:0.7.3',
    ports: [http(9200)],
  },
  {
    app: 'admin',
    tier: 'web',
    controller: 'Deployment',
    image: 'registry.example.com/admin:1.1.0',
    ports: [http(3000)],
  },
  {
    app: 'scheduler',
    tier: 'backend',
    controller: 'Deployment',
    image: 'registry.example.com/scheduler:1.0.2',
    ports: [],
  },
];

export const TEAMS = [
  'payments',
  'checkout',
  'catalog',
  'search',
  'identity',
  'platform',
  'data',
  'ml',
  'growth',
  'ads',
  'mobile',
  'billing',
  'support',
  'risk',
  'logistics',
  'media',
  'messaging',
  'infra',
  'security',
  'analytics',
  'partners',
  'pricing',
  'content',
  'devex',
] as const;

export const ENVS = ['prod', 'staging', 'dev'] as const;

export const VERSIONS = ['v1', 'v2', 'v3'] as const;

/** Outside networks egress rules point at (none inside 10.0.0.0/8, where pods live). */
export const EXTERNAL_CIDRS = [
  '52.0.0.0/11',
  '54.64.0.0/11',
  '34.64.0.0/10',
  '35.190.0.0/16',
  '104.16.0.0/13',
  '151.101.0.0/16',
  '140.82.112.0/20',
  '185.199.108.0/22',
  '13.32.0.0/15',
  '8.8.8.0/24',
  '1.1.1.0/24',
  '172.217.0.0/16',
  '199.232.0.0/16',
  '20.33.0.0/16',
  '40.76.0.0/14',
  '192.30.252.0/22',
] as const;

/** Characters Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
