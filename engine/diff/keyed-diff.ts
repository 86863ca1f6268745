import type { MatrixDoc, NodeDoc } from '../reach/matrix-doc.js';
import type { WorkloadView } from '../reach/workload-view.js';
import { ConnectionSet } from '../sets/connection-set.js';
import { byPair, compareConnections, type ConnectionChange } from './connection-change.js';
import { isOutside, outsideChanges, sameOutside } from './outside-refinement.js';

export interface DiffSide {
  doc: MatrixDoc;
  view: WorkloadView;
}

/**
 * A node's rules with each peer's membership folded in: equal signatures on both sides
 * mean the node sends and receives exactly as before.
 */
function signatures(doc: MatrixDoc): Map<string, { ingress: string; egress: string }> {
  const members = new Map(doc.peers.map((p) => [p.key, p.members.join('\n')]));
  const entry = (peer: string, ports: unknown) => `${peer}{${members.get(peer)}}${JSON.stringify(ports)}`;
  // Admin and baseline rules decide before and after NetworkPolicy: part of the direction's signature.
  const tiers = (n: NodeDoc, admin: 'adminIngress' | 'adminEgress', baseline: 'baselineIngress' | 'baselineEgress') =>
    [admin, baseline]
      .map((list) => n.tiers?.[list]?.map(([p, action, r]) => `${action} ${entry(p, r)}`).join(';') ?? '-')
      .join('|');
  const sign = (n: NodeDoc) => ({
    ingress: `${n.ingress ? n.ingress.map(([p, r]) => entry(p, r)).join(';') : '-'}|${tiers(n, 'adminIngress', 'baselineIngress')}`,
    egress: `${n.egress ? n.egress.map(([p, r]) => entry(p, r)).join(';') : '-'}|${tiers(n, 'adminEgress', 'baselineEgress')}`,
  });
  return new Map(doc.nodes.map((n) => [n.key, { ...sign(n), ports: JSON.stringify(n.namedPorts ?? []) }]));
}

function nodeKeysOf(doc: MatrixDoc): Map<string, string[]> {
  const out = new Map(doc.workloads);
  for (const n of doc.nodes) if (n.outside) out.set(n.key, [n.key]);
  return out;
}

/** Peers whose outgoing (`sources`) or incoming (`destinations`) connections may differ. */
export interface ChangedPeers {
  sources: Set<string>;
  destinations: Set<string>;
}

/** From two stored documents: nodes matched by key, rules compared with peer membership folded in. */
export function changedPeers(before: MatrixDoc, after: MatrixDoc): ChangedPeers {
  const was = signatures(before);
  const now = signatures(after);
  const egressChanged = new Set<string>();
  const ingressChanged = new Set<string>();
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(key);
    const b = now.get(key);
    // A named-port change alters what others' egress resolves to, so it counts for ingress too.
    if (!a || !b || a.egress !== b.egress) egressChanged.add(key);
    if (!a || !b || a.ingress !== b.ingress || JSON.stringify(a) !== JSON.stringify(b)) ingressChanged.add(key);
  }
  const sources = new Set<string>();
  const destinations = new Set<string>();
  const nodesBefore = nodeKeysOf(before);
  const nodesAfter = nodeKeysOf(after);
  for (const peer of new Set([...nodesBefore.keys(), ...nodesAfter.keys()])) {
    const a = nodesBefore.get(peer);
    const b = nodesAfter.get(peer);
    const regrouped = !a || !b || a.join('\n') !== b.join('\n');
    const nodes = [...(a ?? []), ...(b ?? [])];
    if (regrouped || nodes.some((n) => egressChanged.has(n))) sources.add(peer);
    if (regrouped || nodes.some((n) => ingressChanged.has(n))) destinations.add(peer);
  }
  return { sources, destinations };
}

function rowOf(view: WorkloadView, peer: string): Map<string, ConnectionSet> {
  return new Map(view.outgoing(peer).map((r) => [r.dst, r.allowed]));
}

/**
 * What changed between two results, visiting only the rows of peers whose egress changed and
 * the columns of peers whose ingress changed. Streamed, a source's row at a time: when every
 * policy changed, the changes number in the millions and are never all in memory. Sorted by
 * source, then destination, except that pairs found through a destination's column come after
 * the rows.
 */
export function* changesOfPeers(
  before: WorkloadView,
  after: WorkloadView,
  changed: ChangedPeers,
): Generator<ConnectionChange> {
  const { sources, destinations } = changed;
  for (const src of [...sources].sort(byId)) {
    const a = rowOf(before, src);
    const b = rowOf(after, src);
    const row: ConnectionChange[] = [];
    for (const [dst, conn] of a) push(row, compareConnections(src, dst, conn, b.get(dst) ?? ConnectionSet.none));
    for (const [dst, conn] of b) if (!a.has(dst)) push(row, compareConnections(src, dst, ConnectionSet.none, conn));
    yield* row.sort(byPair);
  }
  // Rows of changed sources are done; what is left are unchanged sources' cells in changed columns.
  const unchangedSources = [...new Set([...before.peerIds, ...after.peerIds])].filter((p) => !sources.has(p));
  if (unchangedSources.length === 0) return;
  for (const dst of [...destinations].sort(byId)) {
    for (const src of unchangedSources) {
      if (src === dst) continue;
      const change = compareConnections(src, dst, before.allowed(src, dst), after.allowed(src, dst));
      if (change) yield change;
    }
  }
}

function push(row: ConnectionChange[], change: ConnectionChange | undefined): void {
  if (change) row.push(change);
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The same changes, all at once and sorted by pair (for answers small enough to hold). */
export function diffChangedPeers(before: WorkloadView, after: WorkloadView, changed: ChangedPeers): ConnectionChange[] {
  return [...changesOfPeers(before, after, changed)].sort(byPair);
}

/**
 * Two results matched by peer id and class key (e.g. a stored one and a fresh one), streamed
 * (see changesOfPeers). When the outside world is cut differently, outside addresses are
 * compared piece by piece.
 */
export function* keyedChanges(before: DiffSide, after: DiffSide): Generator<ConnectionChange> {
  const changes = changesOfPeers(before.view, after.view, changedPeers(before.doc, after.doc));
  if (sameOutside(before.view, after.view)) {
    yield* changes;
    return;
  }
  for (const c of changes) if (!isOutside(c.src) && !isOutside(c.dst)) yield c;
  yield* outsideChanges(before.view, after.view);
}

/** keyedChanges, all at once and sorted by pair. */
export function diffKeyed(before: DiffSide, after: DiffSide): ConnectionChange[] {
  return [...keyedChanges(before, after)].sort(byPair);
}
