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
  const sign = (n: NodeDoc) => ({
    ingress: n.ingress ? n.ingress.map(([p, r]) => entry(p, r)).join(';') : '-',
    egress: n.egress ? n.egress.map(([p, r]) => entry(p, r)).join(';') : '-',
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
  const nodes = view.nodesOf(peer);
  if (!nodes) return new Map();
  return new Map(
    view
      .connectionsInvolving(peer)
      .filter((c) => c.src === peer)
      .map((c) => [c.dst, c.allowed]),
  );
}

/**
 * What changed between two results, visiting only the rows of peers whose egress changed and
 * the columns of peers whose ingress changed.
 */
export function diffChangedPeers(before: WorkloadView, after: WorkloadView, changed: ChangedPeers): ConnectionChange[] {
  const { sources, destinations } = changed;
  const changes = new Map<string, ConnectionChange>();
  const record = (src: string, dst: string, a: ConnectionSet, b: ConnectionSet) => {
    if (src === dst) return;
    const change = compareConnections(src, dst, a, b);
    if (change) changes.set(`${src}\n${dst}`, change);
  };
  for (const src of sources) {
    const a = rowOf(before, src);
    const b = rowOf(after, src);
    for (const [dst, conn] of a) record(src, dst, conn, b.get(dst) ?? ConnectionSet.none);
    for (const [dst, conn] of b) if (!a.has(dst)) record(src, dst, ConnectionSet.none, conn);
  }
  const allPeers = [...new Set([...before.peerIds, ...after.peerIds])];
  for (const dst of destinations) {
    for (const src of allPeers) {
      if (sources.has(src)) continue;
      record(src, dst, before.allowed(src, dst), after.allowed(src, dst));
    }
  }
  return [...changes.values()].sort(byPair);
}

/**
 * Two results matched by peer id and class key (e.g. a stored one and a fresh one). When the
 * outside world is cut differently, outside addresses are compared piece by piece.
 */
export function diffKeyed(before: DiffSide, after: DiffSide): ConnectionChange[] {
  const changes = diffChangedPeers(before.view, after.view, changedPeers(before.doc, after.doc));
  if (sameOutside(before.view, after.view)) return changes;
  const inside = changes.filter((c) => !isOutside(c.src) && !isOutside(c.dst));
  return [...inside, ...outsideChanges(before.view, after.view)].sort(byPair);
}
