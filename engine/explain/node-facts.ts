import type { CompiledPorts } from '../reach/ports.js';
import type { AddressSet } from '../sets/address-set.js';

/** What explain knows of one end of a pair (a pod class or an outside group). */
export interface NodeFacts {
  namespace?: string;
  labels?: Readonly<Record<string, string>>;
  namedPorts: Parameters<CompiledPorts['resolve']>[0];
  outside?: { addresses: AddressSet };
  /** Address keys of the NetworkPolicy ipBlocks covering the class's pods (with --ipblock-matches-pods). */
  ipBlocksMatched: ReadonlySet<string>;
  /** Address keys of the admin `networks` covering the class's pods (always counted). */
  networksMatched: ReadonlySet<string>;
}
