import type { NamedPort } from '../model/cluster.js';
import type { OwnerRef } from './owner.js';

/**
 * What consecutive objects of one input share, kept once: a listing's pods come a ReplicaSet
 * at a time, with the same named ports and the same owner. Every pod's own copy would survive
 * into the model, and the young-generation GC copies each survivor (150k pods' ports and
 * owners were a third of the objects building a large cluster left behind).
 */
export class ConsecutiveReads {
  private ports: readonly NamedPort[] = [];
  private owner: OwnerRef | undefined;

  /** `ports`, or the equal list read just before. */
  namedPorts(ports: readonly NamedPort[]): readonly NamedPort[] {
    if (samePorts(ports, this.ports)) return this.ports;
    this.ports = ports;
    return ports;
  }

  /** `owner`, or the equal reference read just before. */
  ownerRef(owner: OwnerRef | undefined): OwnerRef | undefined {
    if (owner === undefined) return undefined;
    if (this.owner?.kind === owner.kind && this.owner.name === owner.name) return this.owner;
    this.owner = owner;
    return owner;
  }
}

function samePorts(a: readonly NamedPort[], b: readonly NamedPort[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    const q = b[i]!;
    if (p.name !== q.name || p.protocol !== q.protocol || p.port !== q.port) return false;
  }
  return true;
}
