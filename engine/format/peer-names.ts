import type { OutsideGroup } from '../reach/outside-addresses.js';
import type { Reachability } from '../reach/reachability.js';
import type { AddressSet } from '../sets/address-set.js';
import { addressGroups, formatAddressGroups, outsidePeerAddresses } from '../sets/describe-addresses.js';

/** One name a line format prints for a peer, with what orders it among the others. */
export interface DisplayName {
  text: string;
  /** The workload id; for an outside range `ip:`, the prefix every outside id shares. */
  key: string;
  /** An outside range's first address (IPv4 below IPv6 on the engine's line); 0 for a workload. */
  start: bigint;
}

/** Workloads by id; outside ranges together where `ip:` ids sort, by address (9.x before 10.x). */
export function compareDisplayNames(a: DisplayName, b: DisplayName): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}

export interface PeerName {
  id: string;
  /** A workload's namespace; undefined for a group of outside addresses. */
  namespace: string | undefined;
  /** `web[Deployment]` within its namespace; for outside addresses, as people read them (`0.0.0.0/0 except 10.0.0.0/8`). */
  short: string;
  /** Outside addresses one block a line (`0.0.0.0/0 except 10.0.0.0/8`); empty for a workload. */
  ranges: string[];
  /** What line formats print: the workload id, or the addresses as people read them. */
  display: DisplayName[];
}

const OUTSIDE_KEY = 'ip:';

/**
 * How peers are shown. Outside addresses are named as people write ipBlocks
 * (`0.0.0.0/0 except 10.0.0.0/8`) rather than by their ids (`ip:` and the CIDR cover, which an
 * `except` can make hundreds of blocks long).
 */
export class PeerNames {
  private readonly groups = new Map<string, OutsideGroup>();
  private readonly cache = new Map<string, PeerName>();

  constructor(private readonly reach: Reachability) {
    for (const g of reach.partition.groups) this.groups.set(g.id, g);
  }

  get(id: string): PeerName {
    let name = this.cache.get(id);
    if (!name) this.cache.set(id, (name = this.describe(id)));
    return name;
  }

  /** Peers in display order: outside groups by their first address rather than their ids. */
  order(ids: readonly string[]): string[] {
    return [...ids].sort((a, b) => compareDisplayNames(this.get(a).display[0]!, this.get(b).display[0]!));
  }

  /** Graph layout: workloads by namespace (namespaces sorted), then the outside groups. */
  byNamespace(ids: readonly string[]): { namespaces: [string, string[]][]; outside: string[] } {
    const groups = new Map<string, string[]>();
    const outside: string[] = [];
    for (const id of ids) {
      const ns = this.get(id).namespace;
      if (ns === undefined) outside.push(id);
      else if (groups.has(ns)) groups.get(ns)!.push(id);
      else groups.set(ns, [id]);
    }
    const namespaces = [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { namespaces, outside };
  }

  /** A row's merged outside peer (see mergeOutsideRows) is not one of the partition's groups. */
  private outsideAddresses(id: string): AddressSet | undefined {
    try {
      return outsidePeerAddresses(id);
    } catch {
      return undefined;
    }
  }

  private describe(id: string): PeerName {
    const addresses = this.groups.get(id)?.addresses ?? this.outsideAddresses(id);
    if (addresses) {
      const groups = addressGroups(addresses);
      const text = formatAddressGroups(groups);
      const ranges = groups.map((g) => formatAddressGroups([g]));
      const display = [{ text, key: OUTSIDE_KEY, start: addresses.ranges[0]?.[0] ?? 0n }];
      return { id, namespace: undefined, short: text, ranges, display };
    }
    const display = [{ text: id, key: id, start: 0n }];
    const w = this.reach.workload(id);
    if (w) return { id, namespace: w.namespace, short: `${w.name}[${w.kind}]`, ranges: [], display };
    return { id, namespace: undefined, short: id, ranges: [], display };
  }
}
