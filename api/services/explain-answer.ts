import {
  type Reachability,
  explainParts,
  resolveExplainPeer,
  type ExplainPeer,
  type PolicyRef,
  type SideExplanation,
  formatExplanation,
} from '../../engine/index.js';
import { parsePortArg, toPortRanges } from './port-ranges.js';
import { ServiceError, type ExplainAnswer, type ExplainSide } from './query-service.js';
import type { ClusterKey, ReadableSnapshot } from './snapshot-resolver.js';
import { toSnapshotSummary } from './summaries.js';

/**
 * A peer as users may write it: a workload id, an outside group id as listed (`ip:…`), or
 * addresses: one address or a CIDR, `ip:` optional (`203.0.113.7`, `ip:10.1.2.0/24`).
 */
export function resolvePeer(reach: Reachability, text: string, at: string): ExplainPeer[] {
  const resolved = resolveExplainPeer(reach, text);
  if (resolved.ok) return resolved.peers;
  if (resolved.problem === 'unknown')
    throw new ServiceError('NOT_FOUND', `peer ${text.trim()} does not exist at ${at}`);
  throw new ServiceError('BAD_USER_INPUT', resolved.message);
}

const policyName = (p: PolicyRef) => `${p.namespace}/${p.name}`;

function side(s: SideExplanation): ExplainSide {
  return {
    direction: s.direction,
    peer: s.peer,
    governed: s.governed,
    isolatedBy: s.isolatedBy.map(policyName),
    matches: s.matches.map((m) => ({ policy: policyName(m.policy), rule: m.rule, allowed: toPortRanges(m.allowed) })),
    misses: s.misses.map((m) => ({
      policy: policyName(m.policy),
      ...(m.rule === undefined ? {} : { rule: m.rule }),
      reason: m.why ?? `no ${s.direction} rules`,
    })),
    tierDecisions: [...s.admin, ...s.baseline].map((d) => ({
      tier: d.tier,
      kind: d.policy.kind,
      policy: d.policy.name,
      ...(d.policy.priority === undefined ? {} : { priority: d.policy.priority }),
      rule: d.rule,
      ...(d.ruleName === undefined ? {} : { ruleName: d.ruleName }),
      action: d.action,
      failedClosed: d.failedClosed === true,
      connections: toPortRanges(d.conn),
    })),
    allowed: toPortRanges(s.allowed),
  };
}

/** Why `src` can or cannot reach `dst` at a snapshot, from the policies valid then. */
export function explainAnswer(
  reach: Reachability,
  q: { src: string; dst: string; port?: string },
  cluster: ClusterKey,
  snapshot: ReadableSnapshot,
): ExplainAnswer {
  const at = `snapshot ${snapshot.id}`;
  const probe = q.port === undefined ? undefined : parsePortArg(q.port);
  const parts = explainParts(
    reach,
    resolvePeer(reach, q.src, at),
    resolvePeer(reach, q.dst, at),
    probe && { protocol: probe.protocol, port: probe.port },
  );
  // One answer per request: addresses that policies treat differently are named, to be asked one by one.
  if (parts.length > 1) {
    const each = parts.map((p) => `${p.srcLabel} => ${p.dstLabel}`).join('; ');
    throw new ServiceError(
      'BAD_USER_INPUT',
      `policies treat parts of these addresses differently at ${at}: explain each of ${each}`,
    );
  }
  const e = parts[0]!;
  return {
    cluster: cluster.name,
    snapshot: toSnapshotSummary(snapshot),
    src: e.src,
    dst: e.dst,
    verdict: (e.probe ? e.probe.allowed : !e.allowed.isEmpty()) ? 'allowed' : 'denied',
    allowed: toPortRanges(e.allowed),
    ...(e.probe ? { probe: e.probe } : {}),
    pairs: e.pairs.map((p) => ({
      ...(p.srcVariant !== undefined ? { srcVariant: p.srcVariant, dstVariant: p.dstVariant! } : {}),
      allowed: toPortRanges(p.allowed),
      egress: side(p.egress),
      ingress: side(p.ingress),
    })),
    text: formatExplanation(e),
  };
}
