import type { Namespace, PolicyPeer } from '../model/cluster.js';
import type { LabelSelector } from '../select/label-selector.js';
import type { AddressSet } from '../sets/address-set.js';
import type { OutsidePartition } from './outside-addresses.js';
import type { PodClass } from './pod-classes.js';
import { PeerSet } from './peer-set.js';

/** Label key → value → positions of the objects carrying it (ascending). */
type LabelIndex = Map<string, Map<string, number[]>>;

/** Adds the object at `position` (above every position added before) to the index. */
function addToIndex(index: LabelIndex, labels: Readonly<Record<string, string>>, position: number): void {
  for (const k in labels) {
    let byValue = index.get(k);
    if (!byValue) index.set(k, (byValue = new Map()));
    const v = labels[k]!;
    let posting = byValue.get(v);
    if (!posting) byValue.set(v, (posting = []));
    posting.push(position);
  }
}

/**
 * The positions some In/Exists requirement of `selector` allows, the fewest found, ascending
 * and each once; undefined when no requirement narrows. Ascending matters: a PeerSet answers
 * membership by binary search, and postings of several values (`In (a, b)`, `Exists`) joined
 * in value order are not in position order.
 */
function narrowed(index: LabelIndex, selector: LabelSelector): readonly number[] | undefined {
  let candidates: readonly number[] | undefined;
  for (const r of selector.requirements) {
    if (r.operator !== 'In' && r.operator !== 'Exists') continue;
    const byValue = index.get(r.key);
    const lists = !byValue
      ? []
      : r.operator === 'In'
        ? r.values.map((v) => byValue.get(v) ?? [])
        : [...byValue.values()];
    const allowed = lists.length === 1 ? lists[0]! : [...new Set(lists.flat())].sort((a, b) => a - b);
    if (!candidates || allowed.length < candidates.length) candidates = allowed;
    if (candidates.length === 0) break;
  }
  return candidates;
}

/** One namespace's classes, and its label index: key → value → classes (ascending). */
interface NamespaceIndex {
  classes: number[];
  byLabel: Map<string, Map<string, number[]>>;
}

/**
 * Turns selectors into sets of pod classes, once per distinct selector. Each namespace keeps
 * a label index, so `app=db` in one namespace looks at that namespace's `app=db` classes only,
 * and a cluster-wide `app=db` peer does not scan every class.
 */
export class PeerResolver {
  readonly peers: PeerSet[] = [];
  readonly everything: PeerSet;
  private readonly byNamespace = new Map<string, NamespaceIndex>();
  private readonly namespaceSelections = new Map<string, string[]>();
  private readonly podPeers = new Map<string, PeerSet>();
  private readonly addressPeers = new Map<string, PeerSet>();
  private readonly podSelections = new Map<string, number[]>();
  private namespaceIndex?: LabelIndex;

  constructor(
    private readonly classes: readonly PodClass[],
    private readonly namespaces: readonly Namespace[],
    readonly nodeCount: number,
  ) {
    this.everything = PeerSet.all(this.nextId(), nodeCount);
    this.peers.push(this.everything);
    for (const c of classes) {
      let ns = this.byNamespace.get(c.namespace);
      if (!ns) this.byNamespace.set(c.namespace, (ns = { classes: [], byLabel: new Map() }));
      ns.classes.push(c.index);
      addToIndex(ns.byLabel, c.labels, c.index);
    }
  }

  private nextId(): number {
    return this.peers.length;
  }

  /** The classes of one namespace a podSelector selects (a policy's own `spec.podSelector`). */
  selectInNamespace(namespace: string, selector: LabelSelector): number[] {
    const key = `${namespace}\u0000${selector.key}`;
    let found = this.podSelections.get(key);
    if (!found) {
      found = this.select([namespace], selector);
      this.podSelections.set(key, found);
    }
    return found;
  }

  private namespacesMatching(selector: LabelSelector): string[] {
    let found = this.namespaceSelections.get(selector.key);
    if (!found) {
      found = [];
      for (const i of this.namespaceCandidates(selector)) {
        const n = this.namespaces[i]!;
        if (selector.matches(n.labels)) found.push(n.name);
      }
      this.namespaceSelections.set(selector.key, found);
    }
    return found;
  }

  /** Namespaces (by position) a namespaceSelector may match: thousands are not each matched against every selector. */
  private namespaceCandidates(selector: LabelSelector): Iterable<number> {
    if (!this.namespaceIndex) {
      this.namespaceIndex = new Map();
      this.namespaces.forEach((n, i) => addToIndex(this.namespaceIndex!, n.labels, i));
    }
    return narrowed(this.namespaceIndex, selector) ?? this.namespaces.keys();
  }

  /** In each namespace, the fewest candidates some In/Exists requirement allows, then the full match. */
  private select(namespaces: readonly string[], selector: LabelSelector): number[] {
    const out: number[] = [];
    for (const name of namespaces) {
      const ns = this.byNamespace.get(name);
      if (!ns) continue;
      const candidates = narrowed(ns.byLabel, selector) ?? ns.classes;
      for (const i of candidates) if (selector.matches(this.classes[i]!.labels)) out.push(i);
    }
    return namespaces.length > 1 ? out.sort((a, b) => a - b) : out;
  }

  /** A pods peer, in the namespace of the policy that names it. */
  podPeer(peer: Extract<PolicyPeer, { kind: 'pods' }>, policyNamespace: string): PeerSet {
    const nsKey = peer.namespaceSelector ? `sel:${peer.namespaceSelector.key}` : `ns:${policyNamespace}`;
    const key = `${nsKey} pods(${peer.podSelector.key})`;
    let set = this.podPeers.get(key);
    if (!set) {
      const namespaces = peer.namespaceSelector ? this.namespacesMatching(peer.namespaceSelector) : [policyNamespace];
      set = PeerSet.of(this.nextId(), key, Int32Array.from(this.select(namespaces, peer.podSelector)), this.nodeCount);
      this.peers.push(set);
      this.podPeers.set(key, set);
    }
    return set;
  }

  /**
   * An ipBlock peer: its outside groups (numbered after the classes) and, when ipBlocks
   * match pods, the classes whose addresses it covers.
   */
  blockPeers(
    partition: OutsidePartition,
    blocks: readonly AddressSet[],
    classesInBlock: readonly number[][],
  ): PeerSet[] {
    const first = this.classes.length;
    return partition.groupsOfBlock.map((groups, block) => {
      const members = [...(classesInBlock[block] ?? []), ...groups.map((g) => first + g)].sort((a, b) => a - b);
      const set = PeerSet.of(this.nextId(), `ip:${blocks[block]!.key()}`, Int32Array.from(members), this.nodeCount);
      this.peers.push(set);
      return set;
    });
  }

  /**
   * An admin address peer: the outside groups of one block and the classes given (pods whose
   * IPs a `networks` peer covers; none for Node addresses). `prefix` keeps the kinds apart.
   */
  addressPeer(
    prefix: 'net' | 'node',
    partition: OutsidePartition,
    block: number,
    addresses: AddressSet,
    classes: readonly number[],
  ): PeerSet {
    const key = `${prefix}:${addresses.key()}`;
    let set = this.addressPeers.get(key);
    if (!set) {
      const first = this.classes.length;
      const members = [...classes, ...partition.groupsOfBlock[block]!.map((g) => first + g)].sort((a, b) => a - b);
      set = PeerSet.of(this.nextId(), key, Int32Array.from(members), this.nodeCount);
      this.peers.push(set);
      this.addressPeers.set(key, set);
    }
    return set;
  }
}
