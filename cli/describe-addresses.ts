import { ALL_V4, ALL_V6, parseCidr, toCidrs, type AddressSet, IntervalSet } from '../engine/index.js';

/** Beyond this many blocks a list is cut, saying how many there are. */
const MAX_BLOCKS = 4;

function list(cidrs: string[]): string {
  if (cidrs.length <= MAX_BLOCKS) return cidrs.join(',');
  return `${cidrs.slice(0, MAX_BLOCKS - 1).join(',')},… (${cidrs.length} blocks)`;
}

/**
 * An outside address set (`ip:0.0.0.0/5,8.0.0.0/7,…`) as a person reads it: when its
 * complement is shorter, as `0.0.0.0/0 except 10.0.0.0/8`. Workload ids are returned as given.
 */
export function describeAddresses(peer: string): string {
  if (!peer.startsWith('ip:')) return peer;
  let set: AddressSet = IntervalSet.empty<bigint>();
  for (const cidr of peer.slice(3).split(',')) {
    try {
      set = set.union(parseCidr(cidr).range);
    } catch {
      return peer; // Not CIDRs (a newer server's notation): show it as sent.
    }
  }
  const parts: string[] = [];
  for (const [all, everything] of [
    [ALL_V4, '0.0.0.0/0'],
    [ALL_V6, '::/0'],
  ] as const) {
    const mine = set.intersect(all);
    if (mine.isEmpty()) continue;
    const direct = toCidrs(mine);
    const missing = toCidrs(all.subtract(mine));
    if (missing.length === 0) parts.push(everything);
    else if (missing.length < direct.length) parts.push(`${everything} except ${list(missing)}`);
    else parts.push(list(direct));
  }
  return `ip:${parts.join(' and ')}`;
}
