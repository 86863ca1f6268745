import {
  type Reachability,
  parseAddress,
  parseCidr,
  explain,
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
 * `ip:` with one address or a CIDR inside a single outside group (`ip:203.0.113.7`).
 */
export function resolvePeer(reach: Reachability, text: string, at: string): string {
  const id = text.trim();
  if (reach.nodesOf(id)) return id;
  if (reach.workload(id)?.hostNetwork) {
    throw new ServiceError('BAD_USER_INPUT', `${id} uses hostNetwork: NetworkPolicy does not govern it`);
  }
  if (!id.startsWith('ip:')) throw new ServiceError('NOT_FOUND', `peer ${id} does not exist at ${at}`);
  const rest = id.slice('ip:'.length);
  const address = parseAddress(rest);
  let range;
  try {
    range = address === undefined ? parseCidr(rest).range : undefined;
  } catch {
    throw new ServiceError('BAD_USER_INPUT', `peer ${id}: expected ip:<address>, ip:<cidr> or an outside group id`);
  }
  const groups = reach.partition.groups.filter((g) =>
    address !== undefined ? g.addresses.contains(address) : !g.addresses.intersect(range!).isEmpty(),
  );
  if (groups.length !== 1) {
    throw new ServiceError(
      'BAD_USER_INPUT',
      `peer ${id} spans ${groups.length} outside groups that policies treat differently; explain one of: ${groups.map((g) => g.id).join(' ')}`,
    );
  }
  return groups[0]!.id;
}

const policyName = (p: PolicyRef) => `${p.namespace}/${p.name}`;

function side(s: SideExplanation): ExplainSide {
  return {
    direction: s.direction,
    peer: s.peer,
    governed: s.governed,
    isolatedBy: s.isolatedBy.map(policyName),
    matches: s.matches.map((m) => ({ policy: policyName(m.policy), rule: m.rule, allowed: toPortRanges(m.allowed) })),
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
  const e = explain(
    reach,
    resolvePeer(reach, q.src, at),
    resolvePeer(reach, q.dst, at),
    probe && { protocol: probe.protocol, port: probe.port },
  );
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
