import { describeSource } from '../model/source.js';
import type { Explanation, PolicyRef, SideExplanation } from './explain.js';

function policyText(p: PolicyRef): string {
  return `NetworkPolicy ${p.namespace}/${p.name} (${describeSource(p.source)})`;
}

function sideLines(side: SideExplanation, other: string): string[] {
  const title = side.direction === 'egress' ? `Egress from ${side.peer}` : `Ingress to ${side.peer}`;
  if (!side.governed) return [`${title}: outside addresses are not governed by NetworkPolicy`];
  if (side.isolatedBy.length === 0) {
    return [`${title}: not isolated (no NetworkPolicy selects it for ${side.direction}), so everything is allowed`];
  }
  const lines = [`${title}: isolated by ${side.isolatedBy.length} polic${side.isolatedBy.length === 1 ? 'y' : 'ies'}:`];
  for (const p of side.isolatedBy) lines.push(`  - ${policyText(p)}`);
  if (side.matches.length === 0) {
    lines.push(`  no ${side.direction} rule of these policies matches ${other}: denied`);
  }
  for (const m of side.matches) {
    const what = m.allowed.isEmpty()
      ? 'matches the peer, but none of its ports exist on the destination'
      : `allows ${m.allowed}`;
    lines.push(`  ${side.direction} rule ${m.rule} of ${m.policy.namespace}/${m.policy.name} ${what}`);
  }
  return lines;
}

/** For people: the verdict first, then each side's policies and rules. */
export function formatExplanation(e: Explanation): string {
  const verdict = e.allowed.isEmpty() ? 'DENIED: no connections' : `ALLOWED: ${e.allowed}`;
  const lines = [`${e.src} => ${e.dst}: ${verdict}`];
  if (e.probe) {
    lines.push(`${e.probe.protocol} ${e.probe.port}: ${e.probe.allowed ? 'allowed' : 'denied'}`);
  }
  for (const pair of e.pairs) {
    if (pair.srcVariant !== undefined) {
      lines.push(
        '',
        `Pod variant ${pair.srcVariant + 1} of ${e.src} to variant ${pair.dstVariant! + 1} of ${e.dst}: ${pair.allowed}`,
      );
    }
    lines.push('', ...sideLines(pair.egress, e.dst), '', ...sideLines(pair.ingress, e.src));
    if (pair.egress.governed && pair.ingress.governed) {
      lines.push(
        '',
        `Both directions must allow it: egress ${pair.egress.allowed} AND ingress ${pair.ingress.allowed} = ${pair.allowed}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
