import type { Connection } from '../reach/reachability.js';
import type { PeerNames } from './peer-names.js';

export interface TextRow {
  src: string;
  dst: string;
  allowed: string;
}

/**
 * Connections as line formats print them: an outside group becomes one row per address range.
 * Rows stay sorted by source: one source's connections are held (at most one per peer) so that
 * each of its ranges lists all its destinations in turn.
 */
export function* textRows(connections: Iterable<Connection>, names: PeerNames): Generator<TextRow> {
  let src: string | undefined;
  let row: Connection[] = [];
  function* flush(): Generator<TextRow> {
    if (src === undefined) return;
    for (const s of names.texts(src)) {
      for (const c of row) {
        const allowed = c.allowed.toString();
        for (const d of names.texts(c.dst)) yield { src: s, dst: d, allowed };
      }
    }
  }
  for (const c of connections) {
    if (c.src !== src) {
      yield* flush();
      src = c.src;
      row = [];
    }
    row.push(c);
  }
  yield* flush();
}
