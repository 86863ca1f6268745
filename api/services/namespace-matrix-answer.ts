import type { StoredReachability } from '../../engine/index.js';
import { toPortRanges } from './port-ranges.js';
import { ServiceError, type NamespaceMatrixAnswer } from './query-service.js';
import type { ClusterKey, ReadableSnapshot } from './snapshot-resolver.js';
import { toSnapshotSummary } from './summaries.js';
import { nothingSelected } from './target-resolver.js';

/** A cell's workload pairs listed at most: beyond this a list is not read, and the count says how many there are. */
export const MAX_CELL_PAIRS = 1000;

const namespaceOf = (workload: string) => workload.slice(0, workload.indexOf('/'));
const isWorkload = (peer: string) => !peer.startsWith('ip:');

/**
 * Namespaces × namespaces: how many workload pairs of each (source namespace, destination
 * namespace) may open some connection, read row by row from the class-compressed view (its
 * cost is the number of allowed pairs, never workloads²). With a cell (`src` and `dst`
 * namespaces), that cell's pairs too. Outside addresses and hostNetwork workloads have no row
 * (the exposure question covers the first; NetworkPolicy does not govern the second).
 */
export function namespaceMatrixAnswer(
  stored: StoredReachability,
  cluster: ClusterKey,
  snapshot: ReadableSnapshot,
  cell: { src: string; dst: string } | null,
  at: string,
): NamespaceMatrixAnswer {
  const { view } = stored;
  const workloadsIn = new Map<string, number>();
  for (const peer of view.peerIds) {
    if (!isWorkload(peer)) continue;
    const ns = namespaceOf(peer);
    workloadsIn.set(ns, (workloadsIn.get(ns) ?? 0) + 1);
  }
  if (cell) {
    for (const ns of [cell.src, cell.dst]) {
      if (!workloadsIn.has(ns)) throw nothingSelected(`namespace ${ns} has no workload`, at);
    }
  }
  const counts = new Map<string, number>();
  const pairs: NonNullable<NamespaceMatrixAnswer['pairs']> = [];
  for (let group = 0; group < view.groupCount; group++) {
    const sources = view.groupPeerIds(group).filter(isWorkload);
    if (sources.length === 0) continue;
    const row = view.row(group).filter((r) => isWorkload(r.dst));
    for (const src of sources) {
      const from = namespaceOf(src);
      for (const entry of row) {
        const { dst } = entry;
        // A row's entry for its own peer is not that peer's connection to itself.
        const allowed = dst === src ? view.allowed(src, src) : entry.allowed;
        if (allowed.isEmpty()) continue;
        const to = namespaceOf(dst);
        const key = `${from}\n${to}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (cell && from === cell.src && to === cell.dst && pairs.length < MAX_CELL_PAIRS) {
          pairs.push({ src, dst, allowed: toPortRanges(allowed) });
        }
      }
    }
  }
  const namespaces = [...workloadsIn.keys()].sort();
  const cells = [...counts]
    .map(([key, n]) => {
      const [src, dst] = key.split('\n') as [string, string];
      return { src, dst, pairs: n };
    })
    .sort((a, b) => (a.src === b.src ? (a.dst < b.dst ? -1 : 1) : a.src < b.src ? -1 : 1));
  return {
    cluster: cluster.name,
    snapshot: toSnapshotSummary(snapshot),
    namespaces: namespaces.map((name) => ({ name, workloads: workloadsIn.get(name)! })),
    cells,
    ...(cell
      ? {
          pairs: pairs.sort((a, b) => (a.src === b.src ? (a.dst < b.dst ? -1 : 1) : a.src < b.src ? -1 : 1)),
          pairsComplete: (counts.get(`${cell.src}\n${cell.dst}`) ?? 0) <= MAX_CELL_PAIRS,
        }
      : {}),
  };
}

/** Both namespaces of a cell, or neither. */
export function cellOf(q: { src?: string; dst?: string }): { src: string; dst: string } | null {
  const src = q.src?.trim();
  const dst = q.dst?.trim();
  if (!src && !dst) return null;
  if (!src || !dst) throw new ServiceError('BAD_USER_INPUT', 'a cell needs both src and dst (namespaces)');
  return { src, dst };
}
