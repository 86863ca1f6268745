import type { Reachability } from '../reach/reachability.js';
import { parseCidr, type AddressSet } from '../sets/address-set.js';
import { describeAddresses } from '../sets/describe-addresses.js';
import { IntervalSet } from '../sets/interval-set.js';

/** One end of a pair to explain: a peer the matrix knows, and for addresses, which of them were asked about. */
export interface ExplainPeer {
  /** A workload id or an outside group id (`ip:…`). */
  id: string;
  /** Set when the user gave addresses: the part of them inside this outside group. */
  addresses?: AddressSet;
  /** What the explanation calls this end: the workload id, or the addresses as people read them. */
  label: string;
}

export type PeerResolution =
  | { ok: true; peers: ExplainPeer[] }
  | { ok: false; problem: 'unknown' | 'hostNetwork' | 'badAddress'; message: string };

/** `8.8.8.8` or `10.1.2.0/24`, with or without `ip:`, or several joined by commas: undefined when it is not addresses. */
function parseAddresses(text: string): AddressSet | 'bad' | undefined {
  const explicit = text.startsWith('ip:');
  const parts = (explicit ? text.slice('ip:'.length) : text).split(',');
  let set: AddressSet = IntervalSet.empty<bigint>();
  for (const part of parts) {
    // A lone address is its one-address CIDR: parseCidr takes only what the API server takes.
    const cidr = part.includes('/') ? part : `${part}/${part.includes(':') ? 128 : 32}`;
    try {
      set = set.union(parseCidr(cidr).range);
    } catch {
      // A workload id (`ns/name[Kind]`) is not addresses; `ip:` followed by something else is a mistake.
      return explicit ? 'bad' : undefined;
    }
  }
  return set;
}

/** A single address as it is written (`8.8.8.8`), anything larger as the fewest blocks (`0.0.0.0/0 except 10.0.0.0/8`). */
export function addressLabel(set: AddressSet): string {
  const [only] = set.ranges;
  return set.ranges.length === 1 && only![0] === only![1]
    ? describeAddresses(set).replace(/\/(32|128)$/, '')
    : describeAddresses(set);
}

/** A peer id as people read it: an outside group id (`ip:0.0.0.0/5,8.0.0.0/7,…`) as `0.0.0.0/0 except 10.0.0.0/8`. */
export function peerLabel(id: string): string {
  return describeAddresses(id);
}

/**
 * The ends a peer text stands for. A workload id or an outside group id as listed is one end;
 * addresses (`8.8.8.8`, `10.1.2.0/24`, `ip:` optional) are one end per outside group they fall
 * in, because policies treat each group alike and different groups differently.
 */
export function resolveExplainPeer(reach: Reachability, text: string): PeerResolution {
  const id = text.trim();
  if (reach.nodesOf(id)) return { ok: true, peers: [{ id, label: peerLabel(id) }] };
  if (reach.workload(id)?.hostNetwork) {
    return { ok: false, problem: 'hostNetwork', message: `${id} uses hostNetwork: NetworkPolicy does not govern it` };
  }
  const addresses = parseAddresses(id);
  if (addresses === 'bad') {
    return {
      ok: false,
      problem: 'badAddress',
      message: `${id}: expected an address (8.8.8.8), a CIDR (10.1.2.0/24) or an outside group id`,
    };
  }
  if (!addresses) return { ok: false, problem: 'unknown', message: `${id}: no such workload` };
  const peers = reach.partition.groups.flatMap((g) => {
    const part = g.addresses.intersect(addresses);
    return part.isEmpty() ? [] : [{ id: g.id, addresses: part, label: addressLabel(part) }];
  });
  return { ok: true, peers };
}
