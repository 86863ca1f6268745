import { ALL_V4, ALL_V6, fromBigInt, parseCidr, type AddressSet } from './address-set.js';
import { IntervalSet } from './interval-set.js';

/** One block as people write an ipBlock: a CIDR and the CIDRs inside it that are left out. */
export interface AddressGroup {
  cidr: string;
  except: string[];
}

/** A CIDR block on the address line, and how much of it the set covers. */
interface Node {
  lo: bigint;
  prefix: number;
  cover: 'all' | 'none' | 'some';
  children?: [Node, Node];
  /** The fewest blocks printed for the covered part, as groups (`block` or `block except …`). */
  covered: number;
  /**
   * The fewest blocks printed to carve the covered part out of this block: exceptions, plus
   * groups adding back covered addresses inside an exception (`::/0 except 2001:db8::/32;
   * 2001:db8:ff::/48`).
   */
  carved: number;
}

const text = (n: Node) => `${fromBigInt(n.lo)}/${n.prefix}`;

/** Either carve inside the child, or except it whole and add back its covered part. */
const carveChild = (c: Node) => Math.min(c.carved, 1 + c.covered);

/** ranges: the set's ranges clipped to this block, sorted. */
function nodeOf(lo: bigint, prefix: number, width: number, ranges: [bigint, bigint][]): Node {
  const size = 1n << BigInt(width - prefix);
  const hi = lo + size - 1n;
  if (ranges.length === 0) return { lo, prefix, cover: 'none', covered: 0, carved: 1 };
  if (ranges.length === 1 && ranges[0]![0] === lo && ranges[0]![1] === hi)
    return { lo, prefix, cover: 'all', covered: 1, carved: 0 };
  const mid = lo + size / 2n;
  const clip = (from: bigint, to: bigint) =>
    ranges
      .filter(([a, b]) => a <= to && b >= from)
      .map(([a, b]): [bigint, bigint] => [a < from ? from : a, b > to ? to : b]);
  const left = nodeOf(lo, prefix + 1, width, clip(lo, mid - 1n));
  const right = nodeOf(mid, prefix + 1, width, clip(mid, hi));
  const carved = carveChild(left) + carveChild(right);
  return {
    lo,
    prefix,
    cover: 'some',
    children: [left, right],
    covered: Math.min(left.covered + right.covered, 1 + carved),
    carved,
  };
}

function carve(n: Node, except: string[], addBack: AddressGroup[]): void {
  if (n.cover === 'all') return;
  // Ties go to carving deeper: fewer groups to read.
  if (n.cover === 'some' && n.carved <= 1 + n.covered) {
    n.children!.forEach((c) => carve(c, except, addBack));
    return;
  }
  except.push(text(n));
  groupsOf(n, addBack);
}

function groupsOf(n: Node, out: AddressGroup[]): void {
  if (n.cover === 'none') return;
  if (n.cover === 'all') {
    out.push({ cidr: text(n), except: [] });
    return;
  }
  const [left, right] = n.children!;
  // A plain list wins ties: `except` is worth it only when it prints fewer blocks.
  if (left.covered + right.covered <= 1 + n.carved) {
    groupsOf(left, out);
    groupsOf(right, out);
  } else {
    const except: string[] = [];
    const addBack: AddressGroup[] = [];
    n.children!.forEach((c) => carve(c, except, addBack));
    out.push({ cidr: text(n), except }, ...addBack);
  }
}

/**
 * An address set as the fewest blocks a person has to read: `0.0.0.0/0 except 10.0.0.0/8`
 * rather than the eight CIDRs that cover the same addresses. Exact: the union of the groups'
 * addresses (each block minus its exceptions) is the set, nothing more or less; a later group may
 * add back addresses inside an earlier group's exception. IPv4 groups come first.
 */
export function addressGroups(set: AddressSet): AddressGroup[] {
  const out: AddressGroup[] = [];
  for (const [family, width] of [
    [ALL_V4, 32],
    [ALL_V6, 128],
  ] as const) {
    const offset = family.ranges[0]![0];
    const mine = set.intersect(family).ranges.map(([a, b]): [bigint, bigint] => [a, b]);
    groupsOf(nodeOf(offset, 0, width, mine), out);
  }
  return out;
}

/** The addresses a group stands for. */
export function groupAddresses(groups: readonly AddressGroup[]): AddressSet {
  let set: AddressSet = IntervalSet.empty<bigint>();
  for (const g of groups) {
    let block = parseCidr(g.cidr).range;
    for (const e of g.except) block = block.subtract(parseCidr(e).range);
    set = set.union(block);
  }
  return set;
}

/** Groups as one line: `10.0.0.0/16, 10.2.0.0/16`, or with exceptions `0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12; ::/0`. */
export function formatAddressGroups(groups: readonly AddressGroup[]): string {
  const plain = groups.every((g) => g.except.length === 0);
  const texts = groups.map((g) => (g.except.length === 0 ? g.cidr : `${g.cidr} except ${g.except.join(', ')}`));
  return texts.join(plain ? ', ' : '; ');
}

/** The addresses of an outside peer id (`ip:` and its CIDRs); undefined for a workload id. */
export function outsidePeerAddresses(peer: string): AddressSet | undefined {
  if (!peer.startsWith('ip:')) return undefined;
  let set: AddressSet = IntervalSet.empty<bigint>();
  for (const cidr of peer.slice(3).split(',')) set = set.union(parseCidr(cidr).range);
  return set;
}

/**
 * What people read for an address set, or for a peer id: an outside id
 * (`ip:0.0.0.0/5,8.0.0.0/7,…`) becomes `0.0.0.0/0 except 10.0.0.0/8`; a workload id is
 * returned as it is. Ids whose CIDRs do not parse are returned as given.
 */
export function describeAddresses(addresses: AddressSet | string): string {
  let set: AddressSet | undefined;
  if (typeof addresses === 'string') {
    try {
      set = outsidePeerAddresses(addresses);
    } catch {
      return addresses;
    }
    if (!set) return addresses;
  } else {
    set = addresses;
  }
  return set.isEmpty() ? 'no addresses' : formatAddressGroups(addressGroups(set));
}
