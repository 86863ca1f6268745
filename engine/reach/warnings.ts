import type { Cluster } from '../model/cluster.js';

/** Something the user should know that is not an error; `code` says which kind, for grouping. */
export interface Warning {
  code:
    | 'ipblock-covers-pods'
    | 'unevaluated-policy-kinds'
    | 'admin-unknown-peer'
    | 'admin-domain-names'
    | 'admin-nodes-missing'
    | 'admin-networks-pods-without-ip'
    | 'admin-same-priority';
  /** What every warning of this code says, for one line over many. */
  summary: string;
  message: string;
}

/** Warnings of one code: how many, and the first few. */
export interface WarningGroup {
  code: Warning['code'];
  summary: string;
  count: number;
  examples: string[];
}

/**
 * One group per code, in first-seen order, with up to `examples` messages each: a 150k-pod
 * cluster has hundreds of near-identical ipBlock warnings that would bury everything else.
 */
export function groupWarnings(warnings: readonly Warning[], examples = 3): WarningGroup[] {
  const groups = new Map<Warning['code'], WarningGroup>();
  for (const w of warnings) {
    let g = groups.get(w.code);
    if (!g) groups.set(w.code, (g = { code: w.code, summary: w.summary, count: 0, examples: [] }));
    g.count++;
    if (g.examples.length < examples) g.examples.push(w.message);
  }
  return [...groups.values()];
}

/** Policy kinds of other API groups or CNIs (Calico, Cilium, extensions/v1beta1, …) reachlog skipped. */
export function unevaluatedPolicyKinds(cluster: Cluster): Warning[] {
  const kinds = [...cluster.skippedKinds].filter(([kind]) => /NetworkPolicy|NetworkSet/.test(kind));
  if (kinds.length === 0) return [];
  const list = kinds.map(([kind, n]) => `${kind}×${n}`).join(', ');
  const summary = 'policy kinds reachlog does not evaluate are present: real access may be narrower than reported';
  return [{ code: 'unevaluated-policy-kinds', summary, message: `${summary} (${list})` }];
}
