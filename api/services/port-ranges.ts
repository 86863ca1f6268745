import { ConnectionSet, PROTOCOLS, type Protocol } from '../../engine/index.js';
import { ServiceError, type PortRange } from './query-service.js';

export function toPortRanges(set: ConnectionSet): PortRange[] {
  return set.toRanges();
}

export function fromPortRanges(ranges: readonly PortRange[]): ConnectionSet {
  return ConnectionSet.fromRanges(Object.fromEntries(ranges.map((r) => [r.protocol, r.ports])));
}

/** `5432/TCP`, `53/udp` or `8080` (TCP): the port a query is about. */
export function parsePortArg(text: string): { protocol: Protocol; port: number; set: ConnectionSet } {
  const match = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(text.trim());
  const port = match ? Number(match[1]) : NaN;
  const protocol = (match?.[2] ?? 'TCP').toUpperCase();
  if (!match || port < 1 || port > 65535 || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
    throw new ServiceError(
      'BAD_USER_INPUT',
      `port ${shown}: expected PORT[/PROTOCOL], e.g. 5432/TCP (protocols: TCP, UDP, SCTP)`,
    );
  }
  return { protocol: protocol as Protocol, port, set: ConnectionSet.ports(protocol as Protocol, port) };
}
