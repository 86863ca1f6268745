import { ConnectionSet, type Protocol } from '../../engine/index.js';
import { parsePort } from '../../arguments/port.js';
import type { PortRange } from './query-service.js';

export function toPortRanges(set: ConnectionSet): PortRange[] {
  return set.toRanges();
}

export function fromPortRanges(ranges: readonly PortRange[]): ConnectionSet {
  return ConnectionSet.fromRanges(Object.fromEntries(ranges.map((r) => [r.protocol, r.ports])));
}

/** `5432/TCP`, `53/udp` or `8080` (TCP): the port a query is about, with the connections it stands for. */
export function parsePortArg(text: string): { protocol: Protocol; port: number; set: ConnectionSet } {
  const { protocol, port } = parsePort(text, 'port');
  return { protocol, port, set: ConnectionSet.ports(protocol, port) };
}
