import type { Namespace, PolicyPeer } from '../model/cluster.js';
import type { LabelSelector } from '../select/label-selector.js';
import type { AddressSet } from '../sets/address-set.js';
import type { OutsidePartition } from './outside-addresses.js';
import type { PodClass } from './pod-classes.js';
import { PeerSet } from './peer-set.js';

/**
 * Turns selectors into sets of pod classes, once per distinct selector. A label index narrows
 * `key=value` selectors to their candidates, so a cluster-wide `app=db` peer does not scan
 * every class.
 */
export class PeerResolver {
  readonly peers: PeerSet[] = [];
  readonly everything: PeerSet;
  private readonly classesByNamespace = new Map<string, number[]>();
  private readonly labelIndex = new Map<string, Map<string, number[]>>();
  private readonly namespaceSelections = new Map<string, Set<string>>();
  private readonly podPeers = new Map<string, PeerSet>();
  private readonly podSelections = new Map<string, number[]>();

  constructor(
    private readonly classes: readonly PodClass[],
    private readonly namespaces: readonly Namespace[],
    readonly nodeCount: number,
  ) {
    this.everything = PeerSet.all(this.nextId(), nodeCount);
    this.peers.push(this.everything);
    for (const c of classes) {
      let list = this.classesByNamespace.get(c.namespace);
      if (!list) this.classesByNamespace.set(c.namespace, (list = []));
      list.push(c.index);
      for (const [k, v] of Object.entries(c.labels)) {
        let byValue = this.labelIndex.get(k);
        if (!byValue) this.labelIndex.set(k, (byValue = new Map()));
        let posting = byValue.get(v);
        if (!posting) byValue.set(v, (posting = []));
        posting.push(c.index);
      }
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
      found = this.select(new Set([namespace]), selector);
      this.podSelections.set(key, found);
    }
    return found;
  }

  private namespacesMatching(selector: LabelSelector): Set<string> {
    let found = this.namespaceSelections.get(selector.key);
    if (!found) {
      found = new Set(this.namespaces.filter((n) => selector.matches(n.labels)).map((n) => n.name));
      this.namespaceSelections.set(selector.key, found);
    }
    return found;
  }

  /** Candidates from the label index when some requirement pins values; else the namespaces' classes. */
  private select(namespaces: Set<string>, selector: LabelSelector): number[] {
    let candidates: number[] | undefined;
    for (const r of selector.requirements) {
      if (r.operator !== 'In' && r.operator !== 'Exists') continue;
      const byValue = this.labelIndex.get(r.key);
      const lists = !byValue
        ? []
        : r.operator === 'In'
          ? r.values.map((v) => byValue.get(v) ?? [])
          : [...byValue.values()];
      const size = lists.reduce((n, l) => n + l.length, 0);
      if (!candidates || size < candidates.length) candidates = lists.flat();
    }
    if (!candidates) {
      candidates = [];
      for (const ns of namespaces) candidates.push(...(this.classesByNamespace.get(ns) ?? []));
    }
    const out = candidates.filter((i) => {
      const c = this.classes[i]!;
      return namespaces.has(c.namespace) && selector.matches(c.labels);
    });
    return out.sort((a, b) => a - b);
  }

  /** A pods peer, in the namespace of the policy that names it. */
  podPeer(peer: Extract<PolicyPeer, { kind: 'pods' }>, policyNamespace: string): PeerSet {
    const nsKey = peer.namespaceSelector ? `sel:${peer.namespaceSelector.key}` : `ns:${policyNamespace}`;
    const key = `${nsKey} pods(${peer.podSelector.key})`;
    let set = this.podPeers.get(key);
    if (!set) {
      const namespaces = peer.namespaceSelector
        ? this.namespacesMatching(peer.namespaceSelector)
        : new Set([policyNamespace]);
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
}
