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
  const byNamespace = new Map<string, string[]>();
  const outside: string[] = [];
  for (const id of selectPeers(reach, options)) {
    const ns = names.get(id).namespace;
    if (ns === undefined) outside.push(id);
    else byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), id]);
  }
  yield 'digraph reachability {';
  yield '  rankdir=LR;';
  yield '  node [shape=ellipse];';
  // A subgraph named cluster_* is drawn as a box around its nodes.
  for (const ns of [...byNamespace.keys()].sort()) {
    yield `  subgraph ${dotId(`cluster_${ns}`)} {`;
    yield `    label=${dotId(ns)};`;
    for (const id of byNamespace.get(ns)!) yield `    ${dotId(id)} [label=${dotId(names.get(id).short)}];`;
    yield '  }';
  }
  for (const id of outside) {
    yield `  ${dotId(id)} [shape=box, label=${dotId(names.get(id).ranges.join('\n'))}];`;
  }
  for (const c of selectConnections(reach, options)) {
    yield `  ${dotId(c.src)} -> ${dotId(c.dst)} [label=${dotId(c.allowed.toString())}];`;
  }
  yield '}';
}

export function formatDot(reach: Reachability, options: FormatOptions = {}): Generator<string> {
  return chunkLines(dotLines(reach, options));
}
