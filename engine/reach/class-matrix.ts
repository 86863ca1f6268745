import { ConnectionSet } from '../sets/connection-set.js';
import type { EgressEntry, IngressEntry, MatrixNode, NodeTiers, TierEntry } from './node-rules.js';
import { adminProfiles } from './admin-profiles.js';
import type { CompiledPorts } from './ports.js';
import type { PeerSet } from './peer-set.js';
import { pastBaseline, pastNetworkPolicy, UNTOUCHED, walkAdminTier, type AdminOutcome } from './tier-decision.js';

/**
 * Reachability between matrix nodes, kept compressed: each node holds its merged rules over
 * shared peer sets, and a pair is evaluated on demand. Nothing nodes×nodes is ever stored.
 *
 * A connection is allowed when the source's egress AND the destination's ingress allow it
 * (networking.k8s.io/v1: a non-isolated direction allows everything).
 */
/** Rule lists longer than this are looked up through a per-node table rather than scanned. */
const TABLE_FROM = 32;

export class ClassMatrix {
  /** Nodes that let everything in: not isolated for ingress, and outside groups. */
  private readonly openIngress: number[] = [];
  /** Each distinct ingress rule list (classes selected alike share one) → the nodes holding it. */
  private readonly nodesByIngress = new Map<readonly IngressEntry[], number[]>();
  /** Peer id → the ingress rule lists naming it. */
  private readonly ingressByPeer = new Map<number, (readonly IngressEntry[])[]>();
  /** Rule lists that admit every source (an empty `from`). */
  private readonly admitAll: (readonly IngressEntry[])[] = [];
  private readonly ingressPeers = new Map<number, PeerSet>();
  /** Each distinct Admin-tier ingress list with an Allow entry → the nodes holding it. */
  private readonly nodesByAdminIngress = new Map<readonly TierEntry[], number[]>();
  /** Peer id → the Admin-tier ingress lists allowing it (an Allow admits past NetworkPolicy). */
  private readonly adminAllowsByPeer = new Map<number, (readonly TierEntry[])[]>();
  /** Node → ids of the ingress peers that contain it; built on first use. */
  private membershipLists?: number[][];
  private readonly mark: Uint8Array;
  private readonly ingressTables = new WeakMap<readonly IngressEntry[], (ConnectionSet | undefined)[]>();
  private readonly egressTables = new WeakMap<readonly EgressEntry[], (CompiledPorts | undefined)[]>();
  /** A long egress list's ports resolved against each destination: shared by every source holding it. */
  private readonly resolvedEgressTables = new WeakMap<readonly EgressEntry[], (ConnectionSet | undefined)[]>();
  /** Node → the table of its long ingress (or egress) list, so a pair does not look the list up. */
  private readonly ingressTableOfNode: ((ConnectionSet | undefined)[] | undefined)[] = [];
  private readonly egressTableOfNode: ((ConnectionSet | undefined)[] | undefined)[] = [];
  /**
   * The tables hold one object per distinct set (interned by key), so the intersection of a
   * table's ingress with a table's egress is computed once per pair of sets, not per pair of nodes.
   */
  private readonly internedSets = new Map<string, ConnectionSet>();
  private readonly meets = new Map<ConnectionSet, Map<ConnectionSet, ConnectionSet>>();
  /** Sets and outcomes this matrix keeps (interned, cached per profile): safe to memoize on by identity. */
  private readonly kept = new WeakSet<object>([ConnectionSet.none, ConnectionSet.all, UNTOUCHED]);
  /** `admittedPast` per kept Admin outcome and interned NetworkPolicy set. */
  private readonly admitted = new Map<AdminOutcome, Map<ConnectionSet, ConnectionSet>>();
  /** Candidates of sources with a long egress list, by that list and their Admin egress list: the rules alone decide them. */
  private readonly egressCandidates = new WeakMap<
    readonly EgressEntry[],
    Map<readonly TierEntry[] | null, readonly number[]>
  >();
  /** Node → its admin profile (admin-profiles.ts): tier lists' entries and outcomes are kept per profile, not per node. */
  private readonly adminProfile?: { ofNode: Int32Array; count: number };
  private readonly tierTables = new WeakMap<readonly TierEntry[], (TierEntry[] | undefined)[]>();
  /** Admin-tier outcomes of lists without named ports (null: it has some), by the other end's profile: shared by every node holding the list. */
  private readonly adminOutcomes = new WeakMap<readonly TierEntry[], (AdminOutcome | undefined)[] | null>();
  /** Decisions of directions NetworkPolicy leaves to the tiers, by the tiers and the other end's profile (null: named ports). */
  private readonly unisolatedIngress = new WeakMap<NodeTiers, (ConnectionSet | undefined)[] | null>();
  private readonly unisolatedEgress = new WeakMap<NodeTiers, (ConnectionSet | undefined)[] | null>();

  constructor(
    readonly nodes: readonly MatrixNode[],
    readonly classCount: number,
  ) {
    this.mark = new Uint8Array(nodes.length);
    this.adminProfile = adminProfiles(nodes);
    for (const n of nodes) if (n.tiers?.adminIngress) this.indexAdminAllows(n.index, n.tiers.adminIngress);
    for (const n of nodes) {
      if (!n.ingress) {
        this.openIngress.push(n.index);
        continue;
      }
      const holders = this.nodesByIngress.get(n.ingress);
      if (holders) {
        holders.push(n.index);
        continue;
      }
      this.nodesByIngress.set(n.ingress, [n.index]);
      for (const e of n.ingress) {
        if (e.peer.isAll) {
          this.admitAll.push(n.ingress);
          continue;
        }
        let lists = this.ingressByPeer.get(e.peer.id);
        if (!lists) {
          this.ingressByPeer.set(e.peer.id, (lists = []));
          this.ingressPeers.set(e.peer.id, e.peer);
        }
        lists.push(n.ingress);
      }
    }
  }

  private indexAdminAllows(node: number, list: readonly TierEntry[]): void {
    const holders = this.nodesByAdminIngress.get(list);
    if (holders) {
      holders.push(node);
      return;
    }
    const allows = list.filter((e) => e.action === 'Allow');
    if (allows.length === 0) return;
    this.nodesByAdminIngress.set(list, [node]);
    for (const e of allows) {
      let lists = this.adminAllowsByPeer.get(e.peer.id);
      if (!lists) {
        this.adminAllowsByPeer.set(e.peer.id, (lists = []));
        this.ingressPeers.set(e.peer.id, e.peer);
      }
      if (!lists.includes(list)) lists.push(list);
    }
  }

  /** Only sources open for egress need them, to find whose ingress admits them. */
  private get memberships(): number[][] {
    if (!this.membershipLists) {
      const lists: number[][] = this.nodes.map(() => []);
      for (const peer of this.ingressPeers.values()) for (const m of peer.members) lists[m]!.push(peer.id);
      this.membershipLists = lists;
    }
    return this.membershipLists;
  }

  get size(): number {
    return this.nodes.length;
  }

  isOutside(node: number): boolean {
    return node >= this.classCount;
  }

  /** What source `s` may open to destination `d`. */
  pair(s: number, d: number): ConnectionSet {
    const src = this.nodes[s]!;
    const dst = this.nodes[d]!;
    if (src.outside && dst.outside) return ConnectionSet.none;
    if (src.tiers || dst.tiers) return this.tieredPair(s, d, src, dst);
    const ingressTable = this.longIngressTable(d, dst);
    const egressTable = this.longEgressTable(s, src);
    if (ingressTable && egressTable) {
      // Thousands of policies on both ends (both sets interned): the meet is looked up.
      const ingress = ingressTable[s] ?? ConnectionSet.none;
      return ingress === ConnectionSet.none
        ? ingress
        : this.meet(ingress, this.resolvedEgress(egressTable, src, d, dst));
    }
    const ingress = this.networkPolicyIngress(s, dst) ?? ConnectionSet.all;
    if (ingress.isEmpty()) return ConnectionSet.none;
    const egress = this.networkPolicyEgress(src, d, dst);
    return egress ? ingress.intersect(egress) : ingress;
  }

  private longIngressTable(d: number, dst: MatrixNode): (ConnectionSet | undefined)[] | undefined {
    if (!dst.ingress || dst.ingress.length <= TABLE_FROM) return undefined;
    return (this.ingressTableOfNode[d] ??= this.ingressTable(dst.ingress));
  }

  private longEgressTable(s: number, src: MatrixNode): (ConnectionSet | undefined)[] | undefined {
    if (!src.egress || src.egress.length <= TABLE_FROM) return undefined;
    let table = this.egressTableOfNode[s];
    if (!table) {
      table = this.resolvedEgressTables.get(src.egress);
      if (!table) this.resolvedEgressTables.set(src.egress, (table = new Array(this.nodes.length)));
      this.egressTableOfNode[s] = table;
    }
    return table;
  }

  /** A long egress list's ports towards `d`, resolved against `d`'s named ports, interned and kept in `table` (the list's). */
  private resolvedEgress(
    table: (ConnectionSet | undefined)[],
    src: MatrixNode,
    d: number,
    dst: MatrixNode,
  ): ConnectionSet {
    return (table[d] ??= this.intern(this.egressTable(src.egress!)[d]?.resolve(dst.namedPorts) ?? ConnectionSet.none));
  }

  /** The one object standing for sets equal to `set` (the shared none and all for those). */
  private intern(set: ConnectionSet): ConnectionSet {
    if (set === ConnectionSet.none || set === ConnectionSet.all) return set;
    if (set.isEmpty()) return ConnectionSet.none;
    if (set.isAll()) return ConnectionSet.all;
    const key = set.key();
    const known = this.internedSets.get(key);
    if (known) return known;
    this.internedSets.set(key, set);
    this.kept.add(set);
    return set;
  }

  /** The intersection of two interned sets, computed once per pair of them. */
  private meet(a: ConnectionSet, b: ConnectionSet): ConnectionSet {
    let byOther = this.meets.get(a);
    if (!byOther) this.meets.set(a, (byOther = new Map()));
    let both = byOther.get(b);
    if (!both) byOther.set(b, (both = this.intern(a.intersect(b))));
    return both;
  }

  /** Each side through its tiers (admin-tiers.ts); a side no admin policy selects is NetworkPolicy alone. */
  private tieredPair(s: number, d: number, src: MatrixNode, dst: MatrixNode): ConnectionSet {
    const ingress = dst.tiers
      ? this.tieredIngress(s, dst, dst.tiers)
      : (this.networkPolicyIngress(s, dst) ?? ConnectionSet.all);
    if (ingress.isEmpty()) return ConnectionSet.none;
    const egress = src.tiers
      ? this.tieredEgress(src, d, dst, src.tiers)
      : (this.networkPolicyEgress(src, d, dst) ?? ConnectionSet.all);
    return this.kept.has(ingress) && this.kept.has(egress) ? this.meet(ingress, egress) : ingress.intersect(egress);
  }

  private tieredIngress(s: number, dst: MatrixNode, tiers: NodeTiers): ConnectionSet {
    if (!dst.ingress) return this.throughTiers('ingress', tiers, s, dst);
    const outcome = this.adminOutcome(tiers.adminIngress, s, dst);
    if (outcome.undecided.isEmpty()) return outcome.allowed;
    return this.admittedPast(outcome, this.networkPolicyIngress(s, dst)!);
  }

  private tieredEgress(src: MatrixNode, d: number, dst: MatrixNode, tiers: NodeTiers): ConnectionSet {
    if (!src.egress) return this.throughTiers('egress', tiers, d, dst);
    const outcome = this.adminOutcome(tiers.adminEgress, d, dst);
    if (outcome.undecided.isEmpty()) return outcome.allowed;
    return this.admittedPast(outcome, this.networkPolicyEgress(src, d, dst)!);
  }

  /**
   * What the Admin tier allowed plus what NetworkPolicy (`np`, isolating this direction) allows
   * of the rest. Thousands of pairs share one kept outcome and one interned `np` (long rule
   * lists' tables), so for those it is computed once per pair of them.
   */
  private admittedPast(outcome: AdminOutcome, np: ConnectionSet): ConnectionSet {
    if (!this.kept.has(outcome) || !this.kept.has(np)) return pastNetworkPolicy(outcome, np);
    let byNp = this.admitted.get(outcome);
    if (!byNp) this.admitted.set(outcome, (byNp = new Map()));
    let both = byNp.get(np);
    if (!both) byNp.set(np, (both = this.intern(pastNetworkPolicy(outcome, np))));
    return both;
  }

  /**
   * One direction NetworkPolicy does not isolate, through `tiers`, `other` being the far end:
   * the tier lists and `other`'s profile decide it (without named ports), so that decision is
   * kept per (tiers, profile).
   */
  private throughTiers(
    direction: 'ingress' | 'egress',
    tiers: NodeTiers,
    other: number,
    dst: MatrixNode,
  ): ConnectionSet {
    const admin = direction === 'ingress' ? tiers.adminIngress : tiers.adminEgress;
    const baseline = direction === 'ingress' ? tiers.baselineIngress : tiers.baselineEgress;
    const byTiers = direction === 'ingress' ? this.unisolatedIngress : this.unisolatedEgress;
    let decided = byTiers.get(tiers);
    if (decided === undefined) {
      const named = [admin, baseline].some((list) => list?.some((e) => e.ports.hasNamed()));
      byTiers.set(tiers, (decided = named ? null : new Array<ConnectionSet | undefined>(this.profileCount)));
    }
    if (decided === null) return this.decide(admin, baseline, other, dst);
    return (decided[this.profileOf(other)] ??= this.intern(this.decide(admin, baseline, other, dst)));
  }

  private decide(
    admin: readonly TierEntry[] | null,
    baseline: readonly TierEntry[] | null,
    other: number,
    dst: MatrixNode,
  ): ConnectionSet {
    return pastBaseline(this.adminOutcome(admin, other, dst), this.tierEntries(baseline, other), other, dst.namedPorts);
  }

  /**
   * The Admin tier's outcome for `other` through `list` (ports resolved against `dst`). Without
   * named ports it depends on the list and `other`'s profile alone, so it is computed once per
   * pair of them.
   */
  private adminOutcome(list: readonly TierEntry[] | null, other: number, dst: MatrixNode): AdminOutcome {
    if (!list) return UNTOUCHED;
    let outcomes = this.adminOutcomes.get(list);
    if (outcomes === undefined) {
      outcomes = list.some((e) => e.ports.hasNamed()) ? null : new Array<AdminOutcome | undefined>(this.profileCount);
      this.adminOutcomes.set(list, outcomes);
    }
    if (outcomes === null) return walkAdminTier(this.tierEntries(list, other), other, dst.namedPorts);
    const profile = this.profileOf(other);
    let outcome = outcomes[profile];
    if (!outcome) {
      outcome = walkAdminTier(this.tierEntries(list, other), other, dst.namedPorts);
      outcomes[profile] = outcome;
      this.kept.add(outcome);
    }
    return outcome;
  }

  private get profileCount(): number {
    return this.adminProfile?.count ?? 0;
  }

  private profileOf(node: number): number {
    return this.adminProfile!.ofNode[node]!;
  }

  /**
   * The entries of a long tier list whose peer holds `other`, still in evaluation order: a
   * thousand admin rules on one pod are then walked as the few that can match. The same for
   * every node of a profile, so kept per profile.
   */
  private tierEntries(list: readonly TierEntry[] | null, other: number): readonly TierEntry[] | null {
    if (!list || list.length <= TABLE_FROM) return list;
    let table = this.tierTables.get(list);
    if (!table) this.tierTables.set(list, (table = new Array<TierEntry[] | undefined>(this.profileCount)));
    return (table[this.profileOf(other)] ??= list.filter((e) => e.peer.has(other)));
  }

  /** What NetworkPolicy lets `s` open into `dst`; null when no NetworkPolicy isolates `dst` for ingress. */
  private networkPolicyIngress(s: number, dst: MatrixNode): ConnectionSet | null {
    if (!dst.ingress) return null;
    if (dst.ingress.length > TABLE_FROM) return this.ingressTable(dst.ingress)[s] ?? ConnectionSet.none;
    let ingress = ConnectionSet.none;
    for (const e of dst.ingress) if (e.peer.has(s)) ingress = ingress.union(e.conn);
    return ingress;
  }

  /** What NetworkPolicy lets `src` open to `d`; null when no NetworkPolicy isolates `src` for egress. */
  private networkPolicyEgress(src: MatrixNode, d: number, dst: MatrixNode): ConnectionSet | null {
    if (!src.egress) return null;
    if (src.egress.length > TABLE_FROM) {
      return this.resolvedEgress(this.longEgressTable(src.index, src)!, src, d, dst);
    }
    let egress = ConnectionSet.none;
    for (const e of src.egress) if (e.peer.has(d)) egress = egress.union(e.ports.resolve(dst.namedPorts));
    return egress;
  }

  /**
   * A long rule list (thousands of policies on one pod) answered by node instead of by
   * scanning: built once per shared list, on first use.
   */
  private ingressTable(list: readonly IngressEntry[]): (ConnectionSet | undefined)[] {
    let table = this.ingressTables.get(list);
    if (!table) {
      table = new Array<ConnectionSet | undefined>(this.nodes.length);
      for (const e of list) for (const m of e.peer.members) table[m] = (table[m] ?? ConnectionSet.none).union(e.conn);
      for (let m = 0; m < table.length; m++) if (table[m]) table[m] = this.intern(table[m]!);
      this.ingressTables.set(list, table);
    }
    return table;
  }

  private egressTable(list: readonly EgressEntry[]): (CompiledPorts | undefined)[] {
    let table = this.egressTables.get(list);
    if (!table) {
      table = new Array<CompiledPorts | undefined>(this.nodes.length);
      for (const e of list) for (const m of e.peer.members) table[m] = table[m] ? table[m].union(e.ports) : e.ports;
      this.egressTables.set(list, table);
    }
    return table;
  }

  /**
   * The destinations `s` might reach, ascending: a superset of those with a non-empty pair,
   * found from the rules rather than by trying every node.
   */
  candidates(s: number): readonly number[] {
    const src = this.nodes[s]!;
    if (!src.egress) return this.candidatesOpenForEgress(s);
    // A short list is quickly walked again; a long one (thousands of policies) once per list.
    if (src.egress.length <= TABLE_FROM)
      return this.candidatesIsolatedForEgress(src.egress, src.tiers?.adminEgress ?? null);
    const adminEgress = src.tiers?.adminEgress ?? null;
    let byAdmin = this.egressCandidates.get(src.egress);
    if (!byAdmin) this.egressCandidates.set(src.egress, (byAdmin = new Map()));
    let found = byAdmin.get(adminEgress);
    if (!found) byAdmin.set(adminEgress, (found = this.candidatesIsolatedForEgress(src.egress, adminEgress)));
    return found;
  }

  /** NetworkPolicy decides what the Admin tier leaves, so only its peers and Admin Allows are reachable. */
  private candidatesIsolatedForEgress(
    egress: readonly EgressEntry[],
    adminEgress: readonly TierEntry[] | null,
  ): readonly number[] {
    const allows = adminEgress?.filter((e) => e.action === 'Allow') ?? [];
    if (egress.some((e) => e.peer.isAll) || allows.some((e) => e.peer.isAll)) return this.everyNode();
    const out: number[] = [];
    const add = (d: number) => {
      if (!this.mark[d]) {
        this.mark[d] = 1;
        out.push(d);
      }
    };
    for (const e of egress) for (const m of e.peer.members) add(m);
    for (const e of allows) for (const m of e.peer.members) add(m);
    return this.sorted(out);
  }

  /** Whatever admits `s`: nodes open for ingress, lists admitting everyone, lists naming a peer `s` is in. */
  private candidatesOpenForEgress(s: number): readonly number[] {
    const out: number[] = [];
    const add = (d: number) => {
      if (!this.mark[d]) {
        this.mark[d] = 1;
        out.push(d);
      }
    };
    for (const d of this.openIngress) add(d);
    for (const list of this.admitAll) for (const d of this.nodesByIngress.get(list)!) add(d);
    const seen = new Set<readonly (IngressEntry | TierEntry)[]>();
    for (const id of this.memberships[s]!) {
      for (const list of this.ingressByPeer.get(id) ?? []) {
        if (seen.has(list)) continue;
        seen.add(list);
        for (const d of this.nodesByIngress.get(list)!) add(d);
      }
      for (const list of this.adminAllowsByPeer.get(id) ?? []) {
        if (seen.has(list)) continue;
        seen.add(list);
        for (const d of this.nodesByAdminIngress.get(list)!) add(d);
      }
    }
    return this.sorted(out);
  }

  /** Ascending, and the marks `add` left cleared. */
  private sorted(out: number[]): number[] {
    for (const d of out) this.mark[d] = 0;
    return out.length * 8 > this.nodes.length ? this.inOrder(out) : out.sort((a, b) => a - b);
  }

  private everyNodeList?: readonly number[];

  private everyNode(): readonly number[] {
    return (this.everyNodeList ??= Array.from({ length: this.nodes.length }, (_, i) => i));
  }

  private inOrder(list: number[]): number[] {
    for (const d of list) this.mark[d] = 1;
    const out: number[] = [];
    for (let d = 0; d < this.nodes.length; d++) {
      if (this.mark[d]) {
        out.push(d);
        this.mark[d] = 0;
      }
    }
    return out;
  }
}
