import { IntervalSet } from './interval-set.js';

/** The protocols NetworkPolicy governs (networking.k8s.io/v1 NetworkPolicyPort.protocol). */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

type PortSets = Readonly<Record<Protocol, IntervalSet<number>>>;

const NO_PORTS = IntervalSet.empty<number>();
const ALL_PORTS = IntervalSet.of(MIN_PORT, MAX_PORT);

/**
 * A set of (protocol, port) pairs: what one peer may open to another. An algebra
 * (union, intersection, subtraction) so that policy tiers with Deny/Pass can be layered on it.
 */
export class ConnectionSet {
  private constructor(private readonly byProtocol: PortSets) {}

  static readonly none = new ConnectionSet({ TCP: NO_PORTS, UDP: NO_PORTS, SCTP: NO_PORTS });
  static readonly all = new ConnectionSet({ TCP: ALL_PORTS, UDP: ALL_PORTS, SCTP: ALL_PORTS });

  static ports(protocol: Protocol, lo: number, hi: number = lo): ConnectionSet {
    return new ConnectionSet({ ...ConnectionSet.none.byProtocol, [protocol]: IntervalSet.of(lo, hi) });
  }

  static allPorts(protocol: Protocol): ConnectionSet {
    return ConnectionSet.ports(protocol, MIN_PORT, MAX_PORT);
  }

  static fromRanges(ranges: Partial<Record<Protocol, readonly (readonly [number, number])[]>>): ConnectionSet {
    const sets = { ...ConnectionSet.none.byProtocol };
    for (const p of PROTOCOLS) sets[p] = IntervalSet.fromRanges(ranges[p] ?? []);
    const set = new ConnectionSet(sets);
    // The shared instances let union and intersection short-cut.
    return set.isEmpty() ? ConnectionSet.none : set.isAll() ? ConnectionSet.all : set;
  }

  portsOf(protocol: Protocol): IntervalSet<number> {
    return this.byProtocol[protocol];
  }

  /** An empty result is the shared `none`, so later operations on it short-cut. */
  private combine(other: ConnectionSet, op: 'union' | 'intersect' | 'subtract'): ConnectionSet {
    const TCP = this.byProtocol.TCP[op](other.byProtocol.TCP);
    const UDP = this.byProtocol.UDP[op](other.byProtocol.UDP);
    const SCTP = this.byProtocol.SCTP[op](other.byProtocol.SCTP);
    if (TCP.isEmpty() && UDP.isEmpty() && SCTP.isEmpty()) return ConnectionSet.none;
    return new ConnectionSet({ TCP, UDP, SCTP });
  }

  union(other: ConnectionSet): ConnectionSet {
    if (other === ConnectionSet.none || this === ConnectionSet.all) return this;
    if (this === ConnectionSet.none || other === ConnectionSet.all) return other;
    return this.combine(other, 'union');
  }

  intersect(other: ConnectionSet): ConnectionSet {
    if (other === ConnectionSet.all || this === ConnectionSet.none) return this;
    if (this === ConnectionSet.all || other === ConnectionSet.none) return other;
    return this.combine(other, 'intersect');
  }

  subtract(other: ConnectionSet): ConnectionSet {
    if (other === ConnectionSet.none || this === ConnectionSet.none) return this;
    return this.combine(other, 'subtract');
  }

  isEmpty(): boolean {
    const { TCP, UDP, SCTP } = this.byProtocol;
    return this === ConnectionSet.none || (TCP.isEmpty() && UDP.isEmpty() && SCTP.isEmpty());
  }

  isAll(): boolean {
    return this === ConnectionSet.all || PROTOCOLS.every((p) => this.byProtocol[p].equals(ALL_PORTS));
  }

  allows(protocol: Protocol, port: number): boolean {
    return this.byProtocol[protocol].contains(port);
  }

  covers(other: ConnectionSet): boolean {
    return PROTOCOLS.every((p) => this.byProtocol[p].covers(other.byProtocol[p]));
  }

  equals(other: ConnectionSet): boolean {
    return this === other || PROTOCOLS.every((p) => this.byProtocol[p].equals(other.byProtocol[p]));
  }

  /** Canonical text, equal for equal sets: used as a map key. */
  key(): string {
    return PROTOCOLS.map((p) => this.byProtocol[p].key()).join('|');
  }

  /** Protocol → port ranges, omitting protocols with no ports (the JSON output's shape). */
  toRanges(): { protocol: Protocol; ports: [number, number][] }[] {
    return PROTOCOLS.filter((p) => !this.byProtocol[p].isEmpty()).map((p) => ({
      protocol: p,
      ports: this.byProtocol[p].ranges.map(([a, b]) => [a, b] as [number, number]),
    }));
  }

  /** netpol-analyzer's convention: `All Connections`, `No Connections`, `TCP 1-79,81-65535,UDP 53`. */
  toString(): string {
    if (this.isAll()) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    return this.toRanges()
      .map(({ protocol, ports }) => `${protocol} ${ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`)
      .join(',');
  }
}
