import type { StoredReachability } from '../../engine/index.js';
import { toPortRanges } from './port-ranges.js';
import { ServiceError, type MatrixAnswer } from './query-service.js';
import type { SnapshotObjects } from '../../store/history/objects.js';
import type { ClusterKey, ReadableSnapshot } from './snapshot-resolver.js';
import { toSnapshotSummary } from './summaries.js';
import { parseSelectorArgument } from '../../arguments/selector.js';
import { nothingSelected, resolveTarget, selectWorkloads } from './target-resolver.js';

/** Rows × columns evaluated on demand: beyond this a heatmap is unreadable and the cost quadratic. */
export const MAX_MATRIX_PEERS = 300;

/** The workloads a matrix is drawn over. */
export function matrixPeers(
  objects: SnapshotObjects,
  q: { namespace?: string; selector?: string },
  at: string,
): string[] {
  const selector = q.selector?.trim();
  if (selector) {
    if (/^(svc:|ns=)/.test(selector) || /\[[A-Za-z]+\]$/.test(selector)) {
      return resolveTarget(selector, objects, at).workloads;
    }
    if (q.namespace === undefined) {
      throw new ServiceError(
        'BAD_USER_INPUT',
        `selector ${JSON.stringify(selector)}: give a namespace, or write it ns=<namespace>:<selector>`,
      );
    }
    const selected = selectWorkloads(objects, q.namespace, parseSelectorArgument(selector, 'selector'));
    if (selected.length === 0) throw nothingSelected(`selector ${selector} matches no workload in ${q.namespace}`, at);
    return selected.map((w) => w.id);
  }
  if (q.namespace === undefined) {
    throw new ServiceError('BAD_USER_INPUT', 'a matrix needs a namespace or a selector');
  }
  const inNamespace = objects.workloads.filter((w) => w.namespace === q.namespace);
  if (inNamespace.length === 0) throw nothingSelected(`namespace ${q.namespace} has no workload`, at);
  return inNamespace.map((w) => w.id);
}

/** Peers × peers at a snapshot, non-empty cells only. */
export function matrixAnswer(
  stored: StoredReachability,
  peers: readonly string[],
  cluster: ClusterKey,
  snapshot: ReadableSnapshot,
): MatrixAnswer {
  const { view } = stored;
  // Workloads off the policy plane (hostNetwork) have no row or column.
  const onPlane = [...new Set(peers)].filter((p) => view.nodesOf(p)).sort();
  if (onPlane.length > MAX_MATRIX_PEERS) {
    throw new ServiceError(
      'BAD_USER_INPUT',
      `${onPlane.length} peers are too many for a matrix (at most ${MAX_MATRIX_PEERS}); narrow it with a selector`,
    );
  }
  const columns = new Set(onPlane);
  const cells: MatrixAnswer['cells'] = [];
  for (const src of onPlane) {
    for (const row of view.outgoing(src)) {
      if (columns.has(row.dst)) cells.push({ src, dst: row.dst, allowed: toPortRanges(row.allowed) });
    }
  }
  return { cluster: cluster.name, snapshot: toSnapshotSummary(snapshot), peers: onPlane, cells };
}
