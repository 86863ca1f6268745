import type { GenContext } from './context.js';
import { NAME_LABEL, type NamespacePlan } from './namespaces.js';
import type { Body } from './params.js';
import { ENVS, TEAMS } from './vocabulary.js';

/**
 * Cluster-scoped admin tiers on top of a generated cluster, as platform teams write them:
 * AdminNetworkPolicies and ClusterNetworkPolicies selecting namespaces by team or env (so
 * subjects overlap), each a few rules mixing Deny, Pass and Allow/Accept over namespaces, pods
 * and networks; priorities from a small range (some shared), and one BaselineAdminNetworkPolicy.
 */

export interface AdminParams {
  adminNetworkPolicies: number;
  clusterNetworkPolicies: number;
  baseline: boolean;
}

const NETWORKS = ['10.0.0.0/8', '0.0.0.0/0', '192.168.0.0/16', '172.16.0.0/12'];

function namespaceSelector(ctx: GenContext, namespaces: readonly NamespacePlan[]): Body {
  const roll = ctx.rng.int(3);
  if (roll === 0) return { matchLabels: { team: ctx.rng.pick(TEAMS) } };
  if (roll === 1) return { matchLabels: { env: ctx.rng.pick(ENVS) } };
  return { matchLabels: { [NAME_LABEL]: ctx.rng.pick(namespaces).name } };
}

function peer(ctx: GenContext, namespaces: readonly NamespacePlan[], egress: boolean): Body {
  const roll = ctx.rng.int(egress ? 3 : 2);
  if (roll === 0) return { namespaces: namespaceSelector(ctx, namespaces) };
  if (roll === 1) {
    return {
      pods: { namespaceSelector: namespaceSelector(ctx, namespaces), podSelector: { matchLabels: { tier: 'data' } } },
    };
  }
  return { networks: [ctx.rng.pick(NETWORKS)] };
}

function rules(
  ctx: GenContext,
  namespaces: readonly NamespacePlan[],
  egress: boolean,
  actions: readonly string[],
  v1alpha2: boolean,
): Body[] {
  return Array.from({ length: 1 + ctx.rng.int(4) }, () => {
    const port = 80 + ctx.rng.int(8000);
    const ports = ctx.rng.chance(0.5)
      ? {}
      : v1alpha2
        ? { protocols: [{ tcp: { destinationPort: { number: port } } }] }
        : { ports: [{ portNumber: { protocol: 'TCP', port } }] };
    return { action: ctx.rng.pick(actions), [egress ? 'to' : 'from']: [peer(ctx, namespaces, egress)], ...ports };
  });
}

function spec(
  ctx: GenContext,
  namespaces: readonly NamespacePlan[],
  actions: readonly string[],
  v1alpha2: boolean,
): Body {
  return {
    subject: { namespaces: namespaceSelector(ctx, namespaces) },
    ingress: rules(ctx, namespaces, false, actions, v1alpha2),
    egress: rules(ctx, namespaces, true, actions, v1alpha2),
  };
}

export function* adminPolicies(
  params: AdminParams,
  namespaces: readonly NamespacePlan[],
  ctx: GenContext,
): Generator<Body> {
  for (let i = 0; i < params.adminNetworkPolicies; i++) {
    yield {
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: ctx.meta(`platform-${i}`, undefined, {}, { generation: 1 }),
      spec: { priority: ctx.rng.int(50), ...spec(ctx, namespaces, ['Deny', 'Pass', 'Pass', 'Allow'], false) },
    };
  }
  for (let i = 0; i < params.clusterNetworkPolicies; i++) {
    yield {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: ctx.meta(`cluster-${i}`, undefined, {}, { generation: 1 }),
      spec: {
        tier: ctx.rng.chance(0.5) ? 'Admin' : 'Baseline',
        priority: ctx.rng.int(50),
        ...spec(ctx, namespaces, ['Deny', 'Pass', 'Accept'], true),
      },
    };
  }
  if (params.baseline) {
    yield {
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'BaselineAdminNetworkPolicy',
      metadata: ctx.meta('default', undefined, {}, { generation: 1 }),
      spec: spec(ctx, namespaces, ['Deny', 'Allow'], false),
    };
  }
}
