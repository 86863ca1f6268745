import type { Reachability } from '../reach/reachability.js';
import { chunkLines } from './chunks.js';
import { selectConnections, selectPeers, type FormatOptions } from './options.js';
import { PeerNames } from './peer-names.js';
import { groupWarnings } from '../reach/warnings.js';
import { textRows } from './text-rows.js';

/** Beyond this many peers a matrix is too wide to read (and peers² cells to hold). */
export const MATRIX_MAX_PEERS = 40;

export interface MarkdownOptions extends FormatOptions {
  matrixMaxPeers?: number;
}

/** Table cell text: a pipe would end the cell, a line break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function code(text: string): string {
  return `\`${cell(text)}\``;
}

function* namedList(title: string, ids: readonly string[]): Generator<string> {
  yield `- ${title}: ${ids.length}`;
  for (const id of ids) yield `  - ${code(id)}`;
}

function* summaryLines(reach: Reachability): Generator<string> {
  const s = reach.summary();
  const { cluster } = reach;
  yield '## Summary';
  yield '';
  yield `- Workloads: ${s.workloads}`;
  yield `- NetworkPolicies: ${s.policies}`;
  if (s.adminPolicies)
    yield `- Admin policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy): ${s.adminPolicies}`;
  yield `- Outside-address groups: ${reach.partition.groups.length}`;
  yield* namedList(
    'Unprotected workloads (no NetworkPolicy isolates them for ingress, no admin Deny applies)',
    s.unprotected,
  );
  yield* namedList('Open to 0.0.0.0/0 (every IPv4 address may connect on some port)', s.openToWorld);
  if (s.adminDecided.length > 0)
    yield* namedList('Decided in part by an admin tier (subject of an admin policy)', s.adminDecided);
  if (s.hostNetwork.length > 0) yield* namedList('On hostNetwork (NetworkPolicy does not govern them)', s.hostNetwork);
  if (reach.warnings.length > 0) {
    // Grouped by kind: hundreds of near-identical ipBlock warnings would bury the report.
    yield `- Warnings: ${reach.warnings.length}`;
    for (const g of groupWarnings(reach.warnings)) {
      if (g.count === g.examples.length) for (const w of g.examples) yield `  - ${cell(w)}`;
      else {
        yield `  - ${cell(g.summary)} (${g.count}), e.g.:`;
        for (const w of g.examples) yield `    - ${cell(w)}`;
        yield `    - and ${g.count - g.examples.length} more (\`--output json\` lists them all)`;
      }
    }
  }
  if (cluster.errors.length > 0) {
    yield `- Objects left out as invalid: ${cluster.errors.length}`;
    for (const e of cluster.errors) yield `  - ${cell(e.message)}`;
  }
}

/** Rows are sources, columns destinations; at most MATRIX_MAX_PEERS² cells, so held in memory. */
function* matrixLines(
  reach: Reachability,
  peers: string[],
  names: PeerNames,
  options: FormatOptions,
): Generator<string> {
  const label = (id: string) =>
    code(
      names
        .get(id)
        .display.map((d) => d.text)
        .join(', '),
    );
  const cells = new Map<string, Map<string, string>>();
  for (const c of selectConnections(reach, options)) {
    let row = cells.get(c.src);
    if (!row) cells.set(c.src, (row = new Map()));
    row.set(c.dst, c.allowed.toString());
  }
  yield `| source ↓ destination → | ${peers.map(label).join(' | ')} |`;
  yield `|---|${peers.map(() => '---|').join('')}`;
  for (const src of peers) {
    const row = cells.get(src);
    yield `| ${label(src)} | ${peers.map((dst) => cell(row?.get(dst) ?? '')).join(' | ')} |`;
  }
}

function* listLines(reach: Reachability, names: PeerNames, options: FormatOptions): Generator<string> {
  yield '| source | destination | allowed |';
  yield '|---|---|---|';
  for (const r of textRows(selectConnections(reach, options), names)) {
    yield `| ${code(r.src)} | ${code(r.dst)} | ${cell(r.allowed)} |`;
  }
}

function* markdownLines(reach: Reachability, options: MarkdownOptions): Generator<string> {
  const max = options.matrixMaxPeers ?? MATRIX_MAX_PEERS;
  const names = new PeerNames(reach);
  yield '# Reachability report';
  yield '';
  yield* summaryLines(reach);
  yield '';
  yield options.focus === undefined ? '## Connections' : `## Connections of ${code(options.focus)}`;
  yield '';
  const peers = names.order(selectPeers(reach, options));
  if (peers.length <= max) {
    yield* matrixLines(reach, peers, names, options);
  } else {
    yield `> ${peers.length} peers are too many for a readable matrix (at most ${max}), so allowed connections are listed one per row.`;
    yield '';
    yield* listLines(reach, names, options);
  }
}

export function formatMarkdown(reach: Reachability, options: MarkdownOptions = {}): Generator<string> {
  return chunkLines(markdownLines(reach, options));
}
