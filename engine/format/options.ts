import type { Connection, Reachability } from '../reach/reachability.js';

export interface FormatOptions {
  /** Only the connections from or to this peer (`--focus`). */
  focus?: string;
}

/** The connections a format prints, sorted by source then destination; streamed when unfocused. */
export function selectConnections(reach: Reachability, options: FormatOptions = {}): Iterable<Connection> {
  return options.focus === undefined ? reach.connections() : reach.connectionsInvolving(options.focus);
}

/** The peers a graph or matrix shows: all of them, or the focus and those it talks with. */
export function selectPeers(reach: Reachability, options: FormatOptions = {}): string[] {
  const { focus } = options;
  if (focus === undefined) return reach.peerIds();
  const ids = new Set<string>([focus]);
  for (const c of reach.connectionsInvolving(focus)) ids.add(c.src).add(c.dst);
  return reach.peerIds().filter((id) => ids.has(id));
}
