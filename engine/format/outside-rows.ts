import type { Connection } from '../reach/types.js';
import { ALL_V4, ALL_V6, toCidrs, type AddressSet } from '../sets/address-set.js';
import type { ConnectionSet } from '../sets/connection-set.js';
import { outsidePeerAddresses } from '../sets/describe-addresses.js';

const isOutside = (id: string) => id.startsWith('ip:');
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A row's connection after merging, with the (src, dst) pairs it was made of. */
export interface MergedConnection<C extends Connection = Connection> {
  src: string;
  dst: string;
  allowed: ConnectionSet;
  parts: C[];
}

/**
 * Connections as one answer row reads them: the outside peers of a row (one source, or one
 * destination) that are allowed the same connections become one peer per address family.
 * Outside groups are cut by every ipBlock in the cluster, so without this one `0.0.0.0/0` rule
 * shows as several ranges because some other policy excepts `10.0.0.0/8`. Still exact: each
 * outside address is in at most one peer per row, and the ids stay CIDR lists (`ip:…`).
 * Sorted by source, then destination.
 */
export function mergeOutsidePeers<C extends Connection>(connections: Iterable<C>): MergedConnection<C>[] {
  const out: MergedConnection<C>[] = [];
  const merged = new Map<
    string,
    { row: string; outsideIsSrc: boolean; addresses: AddressSet; m: MergedConnection<C> }
  >();
  for (const c of connections) {
    const outsideIsSrc = isOutside(c.src) && !isOutside(c.dst);
    const outsideIsDst = isOutside(c.dst) && !isOutside(c.src);
    if (!outsideIsSrc && !outsideIsDst) {
      out.push({ src: c.src, dst: c.dst, allowed: c.allowed, parts: [c] });
      continue;
    }
    const row = outsideIsSrc ? c.dst : c.src;
    const addresses = outsidePeerAddresses(outsideIsSrc ? c.src : c.dst)!;
    for (const [family, all] of [
      ['4', ALL_V4],
      ['6', ALL_V6],
    ] as const) {
      const mine = addresses.intersect(all);
      if (mine.isEmpty()) continue;
      const key = `${outsideIsSrc ? '<' : '>'}\n${row}\n${family}\n${c.allowed.key()}`;
      const m = merged.get(key);
      if (m) {
        m.addresses = m.addresses.union(mine);
        if (m.m.parts.at(-1) !== c) m.m.parts.push(c);
      } else {
        const entry = { src: c.src, dst: c.dst, allowed: c.allowed, parts: [c] };
        merged.set(key, { row, outsideIsSrc, addresses: mine, m: entry });
      }
    }
  }
  for (const { row, outsideIsSrc, addresses, m } of merged.values()) {
    const id = `ip:${toCidrs(addresses).join(',')}`;
    out.push({ ...m, src: outsideIsSrc ? id : row, dst: outsideIsSrc ? row : id });
  }
  return out.sort((a, b) => compare(a.src, b.src) || compare(a.dst, b.dst));
}

/**
 * mergeOutsidePeers over the engine's stream, which comes by source: one workload's
 * connections are adjacent and the outside sources (`ip:` ids sort together) are one run, so
 * only one run is held at a time.
 */
export function* mergeOutsideRows(connections: Iterable<Connection>): Generator<Connection> {
  let source: string | undefined;
  let run: Connection[] = [];
  for (const c of connections) {
    const key = isOutside(c.src) ? 'ip:' : c.src;
    if (key !== source) {
      yield* mergeOutsidePeers(run);
      run = [];
      source = key;
    }
    run.push(c);
  }
  yield* mergeOutsidePeers(run);
}
