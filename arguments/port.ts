import { PROTOCOLS, type Protocol } from '../engine/index.js';
import { ArgumentError } from './argument-error.js';

export interface PortProbe {
  protocol: Protocol;
  port: number;
}

/** `5432/TCP`, `53/udp` or `8080` (TCP): the one port a question is about. */
export function parsePort(text: string, parameter: string): PortProbe {
  const match = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(text.trim());
  const port = match ? Number(match[1]) : NaN;
  const protocol = (match?.[2] ?? 'TCP').toUpperCase();
  if (!match || port < 1 || port > 65535 || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new ArgumentError(parameter, text, 'expected PORT[/PROTOCOL], e.g. 5432/TCP (protocols: TCP, UDP, SCTP)');
  }
  return { protocol: protocol as Protocol, port };
}
