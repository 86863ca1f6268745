import type { NetworkPolicy, PolicyRule } from '../model/cluster.js';

function ruleKey(rule: PolicyRule): string {
  const peers =
    rule.peers === 'all'
      ? '*'
      : rule.peers
          .map((p) =>
            p.kind === 'ipBlock'
              ? `ip(${p.addresses.key()})`
              : `pods(${p.namespaceSelector ? p.namespaceSelector.key : '.'}|${p.podSelector.key})`,
          )
          .join(';');
  const ports =
    rule.ports === 'all' ? '*' : rule.ports.map((p) => `${p.protocol}:${p.port ?? ''}-${p.endPort ?? ''}`).join(';');
  return `${peers}>${ports}`;
}

/** What a policy means, as text: two policies with equal keys allow the same traffic. */
export function policyContentKey(p: NetworkPolicy): string {
  const ingress = p.affectsIngress ? p.ingress.map(ruleKey).join('&') : '-';
  const egress = p.affectsEgress ? p.egress.map(ruleKey).join('&') : '-';
  return `${p.namespace}\u0000${p.podSelector.key}\u0000${ingress}\u0000${egress}`;
}
