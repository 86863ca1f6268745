import type { GenContext } from './context.js';
import type { NamespacePlan } from './namespaces.js';
import type { Body } from './params.js';
import { policyObject } from './policies.js';
import type { Prng } from './prng.js';
import { ENVS, EXTERNAL_CIDRS, VERSIONS } from './vocabulary.js';
import type { WorkloadPlan } from './workloads.js';

/**
 * The dense case: every policy selects every pod of the one namespace (spelled several ways,
 * so the engine cannot tell by the selector's text), and each brings its own mix of ingress
 * and egress rules. Every pod is then isolated by all policies at once, and which traffic is
 * allowed depends on the union of thousands of rules.
 */

const SELECT_ALL = (ns: NamespacePlan): Body[] => [
  {},
  { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
  { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'backend', 'data'] }] },
  { matchLabels: { team: ns.team } },
  { matchExpressions: [{ key: 'version', operator: 'NotIn', values: ['v0'] }] },
];

const PORT_NUMBERS = [80, 443, 3000, 5432, 5672, 6379, 8080, 8443, 9090, 9102, 9200, 11211];
const PORT_NAMES = ['http', 'grpc', 'metrics', 'postgres', 'redis', 'amqp'];

function portEntry(rng: Prng): Body {
  const protocol = rng.chance(0.9) ? 'TCP' : 'UDP';
  const roll = rng.next();
  if (roll < 0.4) return { protocol, port: rng.pick(PORT_NUMBERS) };
  if (roll < 0.7) return { protocol, port: rng.pick(PORT_NAMES) };
  if (roll < 0.85) {
    const port = rng.between(1024, 20000);
    return { protocol, port, endPort: port + rng.between(1, 1000) };
  }
  return { protocol, port: rng.between(1024, 10000) };
}

function ports(rng: Prng): Body | Record<string, never> {
  if (rng.chance(0.1)) return {}; // no ports: every port
  return { ports: Array.from({ length: rng.between(1, 2) }, () => portEntry(rng)) };
}

function podPeer(rng: Prng, apps: readonly WorkloadPlan[]): Body {
  const roll = rng.next();
  if (roll < 0.5) return { podSelector: { matchLabels: { app: rng.pick(apps).name } } };
  if (roll < 0.7)
    return {
      podSelector: { matchLabels: { tier: rng.pick(['web', 'backend', 'data']), version: rng.pick(VERSIONS) } },
    };
  if (roll < 0.9) {
    const values = [rng.pick(apps).name, rng.pick(apps).name, rng.pick(apps).name];
    return { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [...new Set(values)] }] } };
  }
  return {
    namespaceSelector: { matchLabels: { env: rng.pick(ENVS) } },
    podSelector: { matchLabels: { app: rng.pick(apps).name } },
  };
}

function peer(rng: Prng, apps: readonly WorkloadPlan[]): Body {
  return rng.chance(0.15) ? { ipBlock: { cidr: rng.pick(EXTERNAL_CIDRS) } } : podPeer(rng, apps);
}

function rules(rng: Prng, apps: readonly WorkloadPlan[], peersKey: 'from' | 'to'): Body[] {
  return Array.from({ length: rng.between(1, 3) }, () => ({
    [peersKey]: Array.from({ length: rng.between(1, 2) }, () => peer(rng, apps)),
    ...ports(rng),
  }));
}

export function densePolicies(
  namespace: NamespacePlan,
  workloads: readonly WorkloadPlan[],
  count: number,
  ctx: GenContext,
): Body[] {
  const { rng } = ctx;
  const selectors = SELECT_ALL(namespace);
  const policies: Body[] = [];
  for (let i = 0; i < count; i++) {
    const types = rng.pick([['Ingress'], ['Ingress'], ['Ingress', 'Egress'], ['Egress']]);
    const spec: Body = { podSelector: rng.pick(selectors), policyTypes: types };
    if (types.includes('Ingress')) spec.ingress = rules(rng, workloads, 'from');
    if (types.includes('Egress')) spec.egress = rules(rng, workloads, 'to');
    policies.push(policyObject(namespace.name, `dense-${i}`, spec, ctx));
  }
  return policies;
}
