import { NAME_LABEL, type NamespacePlan } from './namespaces.js';
import type { Body } from './params.js';
import type { Prng } from './prng.js';
import { ENVS, EXTERNAL_CIDRS, TEAMS, type AppSpec } from './vocabulary.js';
import type { WorkloadPlan } from './workloads.js';

/** What a policy of a namespace may refer to: its own workloads and the cluster's vocabulary. */
export interface PolicySite {
  namespace: NamespacePlan;
  workloads: readonly WorkloadPlan[];
  rng: Prng;
}

export interface PolicyDraft {
  /** Kind name; the caller makes it unique in the namespace. */
  name: string;
  spec: Body;
}

/** `ns` as a namespaceSelector picks it (by the label the API server sets). */
const namespaceNamed = (ns: string) => ({ matchLabels: { [NAME_LABEL]: ns } });

/** An app of the namespace in `tier` (the vocabulary's first one when the namespace has none). */
function appIn(site: PolicySite, tier: AppSpec['tier'], fallback: string): string {
  const candidates = site.workloads.filter((w) => w.spec.tier === tier);
  return candidates.length ? site.rng.pick(candidates).name : fallback;
}

/** The usual first policy of a namespace: nothing gets in unless another policy says so. */
export const defaultDenyIngress = (): PolicyDraft => ({
  name: 'default-deny-ingress',
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
});

const allowSameNamespace = (): PolicyDraft => ({
  name: 'allow-same-namespace',
  spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
});

const allowFrontendToApi = (site: PolicySite): PolicyDraft => ({
  name: 'allow-frontend-to-api',
  spec: {
    podSelector: { matchLabels: { app: appIn(site, 'backend', 'api') } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ podSelector: { matchLabels: { app: appIn(site, 'web', 'frontend') } } }],
        ports: site.rng.chance(0.5)
          ? [{ protocol: 'TCP', port: 'http' }]
          : [{ protocol: 'TCP', port: 8080 }, { port: 9090 }],
      },
    ],
  },
});

/** namespaceSelector and podSelector in one peer: both must hold (AND). */
const allowFromTeamNamespaces = (site: PolicySite): PolicyDraft => ({
  name: 'allow-from-team-namespaces',
  spec: {
    podSelector: { matchLabels: { app: appIn(site, 'backend', 'api') } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { team: site.rng.chance(0.5) ? site.namespace.team : site.rng.pick(TEAMS) },
            },
            podSelector: { matchLabels: { app: 'frontend' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 'http' }],
      },
    ],
  },
});

/** Egress locked down to DNS in kube-system (and, often, the namespace itself). */
const allowDnsEgress = (site: PolicySite): PolicyDraft => ({
  name: 'allow-dns-egress',
  spec: {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          { namespaceSelector: namespaceNamed('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      ...(site.rng.chance(0.6) ? [{ to: [{ podSelector: {} }] }] : []),
    ],
  },
});

const allowInternetEgress = (site: PolicySite): PolicyDraft => ({
  name: 'allow-internet-egress',
  spec: {
    podSelector: {
      matchExpressions: [{ key: 'app', operator: 'In', values: [appIn(site, 'backend', 'api'), 'worker'] }],
    },
    policyTypes: ['Egress'],
    egress: [
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
        ...(site.rng.chance(0.7) ? { ports: [{ protocol: 'TCP', port: 443 }] } : {}),
      },
    ],
  },
});

const allowMonitoringScrape = (): PolicyDraft => ({
  name: 'allow-monitoring-scrape',
  spec: {
    podSelector: {},
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          {
            namespaceSelector: { matchLabels: { purpose: 'monitoring' } },
            podSelector: { matchLabels: { app: 'prometheus' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 'metrics' }],
      },
    ],
  },
});

const allowIngressController = (): PolicyDraft => ({
  name: 'allow-ingress-controller',
  spec: {
    podSelector: { matchLabels: { tier: 'web' } },
    policyTypes: ['Ingress'],
    ingress: [
      { from: [{ namespaceSelector: namespaceNamed('ingress-nginx') }], ports: [{ protocol: 'TCP', port: 'http' }] },
    ],
  },
});

/** endPort: a range of ports in one entry (networking.k8s.io/v1, stable since 1.25). */
const allowPortRange = (site: PolicySite): PolicyDraft => {
  const [port, endPort] = site.rng.pick([
    [8000, 8999],
    [9000, 9200],
    [30000, 32767],
  ] as const);
  return {
    name: 'allow-port-range',
    spec: {
      podSelector: { matchLabels: { app: appIn(site, 'backend', 'api') } },
      policyTypes: ['Ingress'],
      // The team's namespaces of one env: broad enough to cross namespaces, narrow enough
      // that the connection list of a 150k-pod cluster stays in the millions, not the billions.
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { team: site.namespace.team, env: site.rng.pick(ENVS) } } }],
          ports: [{ protocol: 'TCP', port, endPort }],
        },
      ],
    },
  };
};

const allowBackendToData = (): PolicyDraft => ({
  name: 'allow-backend-to-data',
  spec: {
    podSelector: { matchLabels: { tier: 'data' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          {
            podSelector: {
              matchExpressions: [
                { key: 'tier', operator: 'In', values: ['backend'] },
                { key: 'version', operator: 'NotIn', values: ['v1'] },
              ],
            },
          },
        ],
        ports: [{ port: 5432 }, { port: 6379 }, { port: 5672 }],
      },
    ],
  },
});

/** Load-balancer traffic from the internet to the web tier. */
const allowExternalHttps = (): PolicyDraft => ({
  name: 'allow-external-https',
  spec: {
    podSelector: { matchLabels: { tier: 'web' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
        ports: [{ protocol: 'TCP', port: 'http' }],
      },
    ],
  },
});

const allowPartnerEgress = (site: PolicySite): PolicyDraft => ({
  name: 'allow-partner-egress',
  spec: {
    podSelector: { matchLabels: { app: appIn(site, 'backend', 'worker') } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: site.rng.pick(EXTERNAL_CIDRS) } }], ports: [{ protocol: 'TCP', port: 443 }] }],
  },
});

/** What follows a namespace's default deny, drawn at random (with repeats in crowded namespaces). */
export const ALLOW_KINDS: readonly ((site: PolicySite) => PolicyDraft)[] = [
  allowSameNamespace,
  allowFrontendToApi,
  allowFromTeamNamespaces,
  allowDnsEgress,
  allowInternetEgress,
  allowMonitoringScrape,
  allowIngressController,
  allowPortRange,
  allowBackendToData,
  allowExternalHttps,
  allowPartnerEgress,
];
