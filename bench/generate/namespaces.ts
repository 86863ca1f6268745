import type { GenContext } from './context.js';
import type { Body, Labels } from './params.js';
import { ENVS, TEAMS } from './vocabulary.js';

export interface NamespacePlan {
  name: string;
  labels: Labels;
  team: string;
  env: string;
}

/** The label the API server sets on every namespace (Kubernetes ≥ 1.21). */
export const NAME_LABEL = 'kubernetes.io/metadata.name';

export function namespacePlan(name: string, team: string, env: string, extra: Labels = {}): NamespacePlan {
  return { name, team, env, labels: { [NAME_LABEL]: name, team, env, ...extra } };
}

/** Application namespaces: `<team>-<env>-<n>`, labelled with team and env for namespaceSelectors. */
export function appNamespaces(count: number, ctx: GenContext): NamespacePlan[] {
  const plans: NamespacePlan[] = [];
  for (let i = 0; i < count; i++) {
    const team = ctx.rng.pick(TEAMS);
    const env = ctx.rng.pick(ENVS);
    // Noise no selector reads, as real namespaces carry.
    const extra: Labels = ctx.rng.chance(0.3) ? { 'istio-injection': 'enabled' } : {};
    plans.push(namespacePlan(`${team}-${env}-${i}`, team, env, extra));
  }
  return plans;
}

export function namespaceObject(plan: NamespacePlan, ctx: GenContext): Body {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: ctx.meta(plan.name, undefined, plan.labels),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}
