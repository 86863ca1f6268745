import type { AdminPolicy, Cluster } from '../model/cluster.js';
import { podsPeer, tierOrder, type TierInput } from './admin-tiers.js';
import type { Warning } from './warnings.js';

/**
 * What the admin tiers leave undecided or implementation-defined, said out loud: an audit
 * tool must not answer confidently where the objects cannot tell.
 */

function policyName(p: AdminPolicy): string {
  return `${p.kind} ${p.name}`;
}

function ruleField(direction: 'ingress' | 'egress', index: number, peer: number): string {
  return `spec.${direction}[${index}].${direction === 'ingress' ? 'from' : 'to'}[${peer}]`;
}

function peerWarnings(cluster: Cluster, p: AdminPolicy, podsWithoutIp: boolean): Warning[] {
  const out: Warning[] = [];
  const warn = (code: Warning['code'], summary: string, message: string) => out.push({ code, summary, message });
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of p[direction]) {
      rule.peers.forEach((peer, j) => {
        const at = `${policyName(p)} ${ruleField(direction, rule.index, j)}`;
        if (peer.kind === 'unknown') {
          const effect =
            rule.action === 'Allow' ? 'matches no traffic' : 'acts as a rule denying all traffic (fail closed)';
          warn(
            'admin-unknown-peer',
            'admin policy peers of a kind reachlog does not know: Allow rules match nothing, Deny and Pass rules deny all (fail closed)',
            `${at} sets no peer field this version of reachlog knows (${peer.fields.join(', ')}): the rule ${effect}, as the API's documentation requires`,
          );
        } else if (peer.kind === 'domainNames') {
          warn(
            'admin-domain-names',
            'domainNames peers cannot be decided from objects: the addresses they name are left out of what their rules match',
            `${at}.domainNames (${peer.names.join(', ')}) cannot be decided from objects (DNS answers are not in the input): reachlog leaves the addresses they name out of what rule ${rule.index} matches`,
          );
        } else if (peer.kind === 'nodes' && cluster.nodes.length === 0) {
          warn(
            'admin-nodes-missing',
            'nodes peers with no Node objects in the input match no node address',
            `${at}.nodes: the input holds no Node objects, so rule ${rule.index} matches no node address here`,
          );
        } else if (peer.kind === 'networks' && podsWithoutIp) {
          warn(
            'admin-networks-pods-without-ip',
            'networks peers also match pods by IP, but some pods have no IP: they are treated as outside',
            `${at}.networks also matches pods by IP (upstream: cluster-internal traffic is checked against it), but some pods in the input have no IP: they are treated as outside it`,
          );
        }
      });
    }
  }
  return out;
}

/**
 * Same-tier, same-priority policies whose subjects share pods: the order between them is not
 * defined upstream. One warning per priority, naming every policy involved.
 */
function samePriorityWarnings(input: TierInput): Warning[] {
  const out: Warning[] = [];
  const byPriority = new Map<string, AdminPolicy[]>();
  for (const p of input.cluster.adminPolicies) {
    const key = `${p.tier} ${p.priority}`;
    byPriority.set(key, [...(byPriority.get(key) ?? []), p]);
  }
  for (const group of byPriority.values()) {
    if (group.length < 2) continue;
    group.sort(tierOrder);
    const subjects = group.map((p) => podsPeer(input, p.subject));
    const involved = group.filter((_, i) =>
      subjects.some((other, j) => j !== i && subjects[i]!.members.some((m) => other.has(m))),
    );
    if (involved.length < 2) continue;
    const names = involved.map(policyName);
    const shown = names.length > 6 ? [...names.slice(0, 6), `${names.length - 6} more`] : names;
    out.push({
      code: 'admin-same-priority',
      summary:
        'admin policies share a priority and some pods: upstream leaves their order open; reachlog applies them by kind, then name',
      message: `${shown.join(', ')} share priority ${involved[0]!.priority} in the ${involved[0]!.tier} tier and select some of the same pods: upstream leaves their order to the implementation; reachlog applies them by kind, then name (${involved[0]!.name} first)`,
    });
  }
  return out;
}

export function adminTierWarnings(input: TierInput): Warning[] {
  const { cluster } = input;
  // Once for all policies: a scan of every pod.
  const podsWithoutIp = cluster.workloads.some((w) => w.pods.some((pod) => !pod.hostNetwork && pod.ips.length === 0));
  return [
    ...cluster.adminPolicies.flatMap((p) => peerWarnings(cluster, p, podsWithoutIp)),
    ...samePriorityWarnings(input),
  ];
}
