import type { MatrixDoc, NodeDoc } from '../../engine/index.js';
import type { VersionRow } from '../versions.repository.js';
import { hashOf } from './content-hash.js';

/** A workload's part: its node keys, or those and the ones holding several of its variants. */
type WorkloadPart = string[] | { nodes: string[]; multiVariant: string[] };

/** The engine's compressed result, split into parts that are versioned one by one. */
export function reachItems(doc: MatrixDoc): VersionRow[] {
  const items: VersionRow[] = [];
  for (const n of doc.nodes) items.push({ kind: 'node', key: n.key, hash: hashOf(n), body: n });
  for (const p of doc.peers) items.push({ kind: 'peer', key: p.key, hash: hashOf(p.members), body: p.members });
  for (const [id, nodes, multiVariant] of doc.workloads) {
    // Nodes alone, as before nodes holding several variants were kept: unchanged workloads keep their versions.
    const body: WorkloadPart = multiVariant ? { nodes, multiVariant } : nodes;
    items.push({ kind: 'workload', key: id, hash: hashOf(body), body });
  }
  return items;
}

/** Reassembles a document from stored parts (in any order). */
export function docFromVersions(rows: readonly VersionRow[]): MatrixDoc {
  const doc: MatrixDoc = { nodes: [], peers: [], workloads: [] };
  for (const r of rows) {
    if (r.kind === 'node') doc.nodes.push(r.body as NodeDoc);
    else if (r.kind === 'peer') doc.peers.push({ key: r.key, members: r.body as string[] });
    else if (r.kind === 'workload') {
      const body = r.body as WorkloadPart;
      doc.workloads.push(Array.isArray(body) ? [r.key, body] : [r.key, body.nodes, body.multiVariant]);
    }
  }
  doc.nodes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  doc.workloads.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return doc;
}
