import type { GenContext } from './context.js';
import type { Body } from './params.js';
import { ALLOW_KINDS, defaultDenyIngress, type PolicyDraft, type PolicySite } from './policy-kinds.js';

export function policyObject(namespace: string, name: string, spec: Body, ctx: GenContext): Body {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: ctx.meta(name, namespace, {}, { generation: 1 }),
    spec,
  };
}

/** Names as people write them: the kind, numbered from the second one on. */
function uniqueNames(drafts: PolicyDraft[]): PolicyDraft[] {
  const seen = new Map<string, number>();
  return drafts.map((d) => {
    const n = (seen.get(d.name) ?? 0) + 1;
    seen.set(d.name, n);
    return n === 1 ? d : { ...d, name: `${d.name}-${n}` };
  });
}

/**
 * `count` policies for one namespace: a default deny first (so no application namespace is
 * open to the whole cluster, as in the hardened clusters this tool is for), then allow rules.
 */
export function namespacePolicies(site: PolicySite, count: number, ctx: GenContext): Body[] {
  const drafts: PolicyDraft[] = [];
  if (count > 0) drafts.push(defaultDenyIngress());
  while (drafts.length < count) drafts.push(ctx.rng.pick(ALLOW_KINDS)(site));
  return uniqueNames(drafts).map((d) => policyObject(site.namespace.name, d.name, d.spec, ctx));
}
