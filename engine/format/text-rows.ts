import type { Connection } from '../reach/reachability.js';
import type { ConnectionSet } from '../sets/connection-set.js';
import { compareDisplayNames, type DisplayName, type PeerNames } from './peer-names.js';

export interface TextRow {
  src: string;
  dst: string;
  allowed: string;
}

interface Pending {
  src: DisplayName;
  dst: DisplayName;
  allowed: string;
}

function byNames(a: Pending, b: Pending): number {
  return compareDisplayNames(a.src, b.src) || compareDisplayNames(a.dst, b.dst);
}

/**
 * Connections as line formats print them: an outside group becomes one row per address range,
 * and rows are sorted by those names. The engine streams connections by source id, and ids of
 * one display key are adjacent (a workload's, or all `ip:` groups'), so only one key's rows are
 * held at a time: one workload's row, or the outside groups' rows (groups × peers).
 */
export function* textRows(connections: Iterable<Connection>, names: PeerNames): Generator<TextRow> {
  let key: string | undefined;
  let pending: Pending[] = [];
  // The engine hands one ConnectionSet to every peer of a group: render each set once.
  const rendered = new WeakMap<ConnectionSet, string>();
  function* flush(): Generator<TextRow> {
    pending.sort(byNames);
    for (const p of pending) yield { src: p.src.text, dst: p.dst.text, allowed: p.allowed };
    pending = [];
  }
  for (const c of connections) {
    const srcNames = names.get(c.src).display;
    if (srcNames[0]?.key !== key) {
      yield* flush();
      key = srcNames[0]?.key;
    }
    let allowed = rendered.get(c.allowed);
    if (allowed === undefined) rendered.set(c.allowed, (allowed = c.allowed.toString()));
    const dstNames = names.get(c.dst).display;
    for (const src of srcNames) for (const dst of dstNames) pending.push({ src, dst, allowed });
  }
  yield* flush();
}
