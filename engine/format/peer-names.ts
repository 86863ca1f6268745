import type { OutsideGroup } from '../reach/outside-addresses.js';
import type { Reachability } from '../reach/reachability.js';
import { toRangeTexts } from '../sets/address-set.js';

export interface PeerName {
  id: string;
  /** A workload's namespace; undefined for a group of outside addresses. */
  namespace: string | undefined;
  /** `web[Deployment]` within its namespace; for an outside group, its ranges joined by `, `. */
  short: string;
  /** An outside group's address ranges (`0.0.0.0-9.255.255.255`); empty for a workload. */
  ranges: string[];
}

/**
 * How peers are shown. Outside groups are named by address ranges rather than their ids
 * (`ip:` and the CIDR cover, which an `except` can make hundreds of blocks long).
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

  /** What line formats print: the workload id, or one `lo-hi[External]` per address range. */
  texts(id: string): string[] {
    const { ranges } = this.get(id);
    return ranges.length > 0 ? ranges.map((r) => `${r}[External]`) : [id];
  }

  private describe(id: string): PeerName {
    const group = this.groups.get(id);
    if (group) {
      const ranges = toRangeTexts(group.addresses);
      return { id, namespace: undefined, short: ranges.join(', '), ranges };
    }
    const w = this.reach.workload(id);
    if (w) return { id, namespace: w.namespace, short: `${w.name}[${w.kind}]`, ranges: [] };
    return { id, namespace: undefined, short: id, ranges: [] };
  }
}
