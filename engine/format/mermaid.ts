import type { Reachability } from '../reach/reachability.js';
import { chunkLines } from './chunks.js';
import { selectConnections, selectPeers, type FormatOptions } from './options.js';
import { PeerNames } from './peer-names.js';

/**
 * Text for a quoted Mermaid label. Mermaid has no backslash escapes: characters that would end
 * or reinterpret the label become entity codes (`#quot;`), `#` first so ours stay intact.
 */
export function mermaidText(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/`/g, '#96;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\r?\n/g, ' ');
}

function* mermaidLines(reach: Reachability, options: FormatOptions): Generator<string> {
  const names = new PeerNames(reach);
  const peers = names.order(selectPeers(reach, options));
  // Node ids are generated (n0, n1, …): peer ids hold `/`, `[`, `:` that Mermaid would parse.
  const nodeOf = new Map<string, string>();
  peers.forEach((id, i) => nodeOf.set(id, `n${i}`));
  const { namespaces, outside } = names.byNamespace(peers);
  yield 'flowchart LR';
  for (const [i, [ns, ids]] of namespaces.entries()) {
    yield `  subgraph ns${i}["${mermaidText(ns)}"]`;
    for (const id of ids) yield `    ${nodeOf.get(id)}("${mermaidText(names.get(id).short)}")`;
    yield '  end';
  }
  for (const id of outside) {
    yield `  ${nodeOf.get(id)}["${names.get(id).ranges.map(mermaidText).join('<br>')}"]`;
  }
  for (const c of selectConnections(reach, options)) {
    const src = nodeOf.get(c.src);
    const dst = nodeOf.get(c.dst);
    if (src && dst) yield `  ${src} -- "${mermaidText(c.allowed.toString())}" --> ${dst}`;
  }
}

export function formatMermaid(reach: Reachability, options: FormatOptions = {}): Generator<string> {
  return chunkLines(mermaidLines(reach, options));
}
