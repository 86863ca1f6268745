import type { Reachability } from '../reach/reachability.js';
import { chunkLines } from './chunks.js';
import { selectConnections, selectPeers, type FormatOptions } from './options.js';
import { PeerNames } from './peer-names.js';

/** A DOT double-quoted ID: backslashes and quotes escaped, line breaks as `\n` (a centered line). */
export function dotId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function* dotLines(reach: Reachability, options: FormatOptions): Generator<string> {
  const names = new PeerNames(reach);
  // Workloads keep their ids as node ids; an outside group's id (its CIDR cover) can run to
  // kilobytes and would be repeated on every edge, so it gets a short one.
  const { namespaces, outside } = names.byNamespace(names.order(selectPeers(reach, options)));
  const nodeOf = new Map<string, string>();
  for (const [, ids] of namespaces) for (const id of ids) nodeOf.set(id, dotId(id));
  outside.forEach((id, i) => nodeOf.set(id, dotId(`outside_${i}`)));
  yield 'digraph reachability {';
  yield '  rankdir=LR;';
  yield '  node [shape=ellipse];';
  // A subgraph whose name starts with `cluster` is drawn as a box around its nodes.
  for (const [ns, ids] of namespaces) {
    yield `  subgraph ${dotId(`cluster_${ns}`)} {`;
    yield `    label=${dotId(ns)};`;
    for (const id of ids) yield `    ${nodeOf.get(id)} [label=${dotId(names.get(id).short)}];`;
    yield '  }';
  }
  for (const id of outside) {
    yield `  ${nodeOf.get(id)} [shape=box, label=${dotId(names.get(id).ranges.join('\n'))}];`;
  }
  for (const c of selectConnections(reach, options)) {
    const src = nodeOf.get(c.src);
    const dst = nodeOf.get(c.dst);
    if (src && dst) yield `  ${src} -> ${dst} [label=${dotId(c.allowed.toString())}];`;
  }
  yield '}';
}

export function formatDot(reach: Reachability, options: FormatOptions = {}): Generator<string> {
  return chunkLines(dotLines(reach, options));
}
