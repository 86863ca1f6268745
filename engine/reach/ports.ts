import type { NamedPort, PolicyPort } from '../model/cluster.js';
import { ConnectionSet, MAX_PORT, MIN_PORT, type Protocol } from '../sets/connection-set.js';

/**
 * A rule's `ports`, split into what is fixed and what needs the destination pod: named ports
 * resolve against each destination pod's container ports, by name and protocol.
 */
export class CompiledPorts {
  private constructor(
    readonly fixed: ConnectionSet,
    readonly named: readonly { name: string; protocol: Protocol }[],
  ) {}

  static readonly all = new CompiledPorts(ConnectionSet.all, []);

  static of(fixed: ConnectionSet, named: readonly { name: string; protocol: Protocol }[]): CompiledPorts {
    return fixed.isAll() ? CompiledPorts.all : new CompiledPorts(fixed, named);
  }

  static compile(ports: readonly PolicyPort[] | 'all'): CompiledPorts {
    if (ports === 'all') return CompiledPorts.all;
    let fixed = ConnectionSet.none;
    const named: { name: string; protocol: Protocol }[] = [];
    for (const p of ports) {
      if (p.port === undefined) fixed = fixed.union(ConnectionSet.ports(p.protocol, MIN_PORT, MAX_PORT));
      else if (typeof p.port === 'string') named.push({ name: p.port, protocol: p.protocol });
      else fixed = fixed.union(ConnectionSet.ports(p.protocol, p.port, p.endPort ?? p.port));
    }
    return new CompiledPorts(fixed, named);
  }

  union(other: CompiledPorts): CompiledPorts {
    if (this === CompiledPorts.all || other === CompiledPorts.all) return CompiledPorts.all;
    const named = [...this.named];
    for (const n of other.named) {
      if (!named.some((m) => m.name === n.name && m.protocol === n.protocol)) named.push(n);
    }
    return new CompiledPorts(this.fixed.union(other.fixed), named);
  }

  /** The ports on a destination with these container ports (none named for outside addresses). */
  resolve(destinationPorts: readonly NamedPort[]): ConnectionSet {
    let set = this.fixed;
    for (const n of this.named) {
      for (const p of destinationPorts) {
        if (p.name === n.name && p.protocol === n.protocol) set = set.union(ConnectionSet.ports(p.protocol, p.port));
      }
    }
    return set;
  }

  hasNamed(): boolean {
    return this.named.length > 0;
  }
}
