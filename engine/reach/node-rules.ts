import type { NamedPort } from '../model/cluster.js';
import type { ConnectionSet } from '../sets/connection-set.js';
import type { PeerSet } from './peer-set.js';
import type { CompiledPorts } from './ports.js';

/** Ingress of a destination: sources in `peer` may open `conn` (named ports already resolved). */
export interface IngressEntry {
  peer: PeerSet;
  conn: ConnectionSet;
}

/** Egress of a source: destinations in `peer` on `ports`, resolved against each destination. */
export interface EgressEntry {
  peer: PeerSet;
  ports: CompiledPorts;
}

/** A node of the class matrix: a pod class, or a group of outside addresses. */
export interface MatrixNode {
  index: number;
  outside: boolean;
  namedPorts: readonly NamedPort[];
  /** null: not isolated for ingress (or not a pod), everything may come in. */
  ingress: readonly IngressEntry[] | null;
  /** null: not isolated for egress (or not a pod), everything may go out. */
  egress: readonly EgressEntry[] | null;
}
