import { describeSource } from '../model/source.js';
import type { Explanation, PolicyRef, SideExplanation } from './explain.js';
import type { AdminPolicyRef, TierDecision } from './explain-tiers.js';

function policyText(p: PolicyRef): string {
  return `NetworkPolicy ${p.namespace}/${p.name} (${describeSource(p.source)})`;
}

function adminPolicyText(p: AdminPolicyRef): string {
  return `${p.kind} ${p.name}${p.priority === undefined ? '' : ` (priority ${p.priority})`}`;
}

/** "denied by AdminNetworkPolicy deny-db (priority 10) ingress rule 0: All Connections" */
function decisionLine(d: TierDecision, direction: string, passedTo: string): string {
  const verb =
    d.action === 'Deny'
      ? 'denied'
      : d.action === 'Pass'
        ? 'passed'
        : d.policy.kind === 'ClusterNetworkPolicy'
          ? 'accepted'
          : 'allowed';
  const name = d.ruleName ? ` "${d.ruleName}"` : '';
  const closed = d.failedClosed ? ' (a peer of a kind reachlog does not know: fails closed, deny all)' : '';
  const pass = d.action === 'Pass' ? `, handed to ${passedTo}` : '';
  return `  ${verb} by ${adminPolicyText(d.policy)} ${direction} rule ${d.rule}${name}: ${d.conn}${pass}${closed}`;
}

const samePolicy = (a: AdminPolicyRef, b: AdminPolicyRef) => a.kind === b.kind && a.name === b.name;

/**
 * One tier's policies in evaluation order: each one's decisions, or that none of its rules
 * matches, so a policy that selects the peer is never left out of the explanation.
 */
function tierLines(
  reached: readonly AdminPolicyRef[],
  decisions: readonly TierDecision[],
  direction: string,
  other: string,
  passedTo: string,
): string[] {
  return reached.flatMap((p) => {
    const mine = decisions.filter((d) => samePolicy(d.policy, p));
    if (mine.length > 0) return mine.map((d) => decisionLine(d, direction, passedTo));
    return [`  no ${direction} rule of ${adminPolicyText(p)} matches ${other}`];
  });
}

/** A direction some admin tier took part in: each tier's policies in order, NetworkPolicy between them. */
function tieredSideLines(side: SideExplanation, title: string, other: string): string[] {
  const isolated = side.isolatedBy.length > 0;
  const lines = [`${title}: ${side.allowed.isEmpty() ? 'denied' : `allows ${side.allowed}`}`];
  const next = isolated ? 'NetworkPolicy' : 'the Baseline tier';
  lines.push(...tierLines(side.adminReached, side.admin, side.direction, other, next));
  if (side.afterAdmin.isEmpty()) return lines;
  if (isolated) {
    lines.push(
      `  then NetworkPolicy decides ${side.afterAdmin}: isolated by ${side.isolatedBy.length} polic${side.isolatedBy.length === 1 ? 'y' : 'ies'}:`,
    );
    for (const p of side.isolatedBy) lines.push(`    - ${policyText(p)}`);
    const granted = side.matches.filter((m) => !m.allowed.intersect(side.afterAdmin).isEmpty());
    if (granted.length === 0)
      lines.push(`  no ${side.direction} rule of these policies allows it from ${other}: denied`);
    for (const m of granted) {
      lines.push(
        `  then allowed by NetworkPolicy ${m.policy.namespace}/${m.policy.name} ${side.direction} rule ${m.rule}: ${m.allowed.intersect(side.afterAdmin)}`,
      );
    }
    return lines;
  }
  lines.push(`  no NetworkPolicy selects it for ${side.direction}, so the Baseline tier decides ${side.afterAdmin}`);
  lines.push(...tierLines(side.baselineReached, side.baseline, side.direction, other, 'the default (allowed)'));
  if (!side.byDefault.isEmpty()) lines.push(`  allowed by default (no rule of any tier decides it): ${side.byDefault}`);
  return lines;
}

function sideLines(side: SideExplanation, other: string): string[] {
  const title = side.direction === 'egress' ? `Egress from ${side.peer}` : `Ingress to ${side.peer}`;
  if (!side.governed) return [`${title}: outside addresses are not governed by NetworkPolicy`];
  if (side.adminReached.length > 0 || side.baselineReached.length > 0) return tieredSideLines(side, title, other);
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
  if (e.oneVariantToItself) {
    lines.push(
      `Its pods are all one variant (same labels, controller-stamped ones aside, and named ports): a workload's connection to itself is listed only between pods that differ.`,
      `Between two of its pods, if it has several: ${e.pairs[0]!.allowed.isEmpty() ? 'no connections' : e.pairs[0]!.allowed}`,
    );
  }
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
