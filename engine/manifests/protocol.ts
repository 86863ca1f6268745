import { PROTOCOLS, type Protocol } from '../sets/connection-set.js';
import { FieldError } from './field-error.js';

export function isProtocol(v: unknown): v is Protocol {
  return typeof v === 'string' && (PROTOCOLS as readonly string[]).includes(v);
}

/** Protocol fields default to TCP across the core and networking APIs. */
export function parseProtocol(v: unknown, field: string): Protocol {
  if (v === undefined || v === null) return 'TCP';
  if (!isProtocol(v)) throw protocolProblem(v, field);
  return v;
}

export function protocolProblem(v: unknown, field: string): FieldError {
  return new FieldError(field, `unsupported protocol ${JSON.stringify(v)} (expected TCP, UDP or SCTP)`);
}

export function isPortNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

export function parsePortNumber(v: unknown, field: string): number {
  if (!isPortNumber(v)) throw portNumberProblem(v, field);
  return v;
}

export function portNumberProblem(v: unknown, field: string): FieldError {
  return new FieldError(field, `port ${JSON.stringify(v)} is out of range (1-65535)`);
}

/** IANA_SVC_NAME, as the API validates port names: at most 15 of [a-z0-9-], a letter, no leading/trailing or double dash. */
const PORT_NAME = /^(?=.*[a-z])(?!-)(?!.*--)[a-z0-9-]{1,15}(?<!-)$/;

export function isPortName(v: string): boolean {
  return PORT_NAME.test(v);
}

export function parsePortName(v: string, field: string): string {
  if (!isPortName(v)) throw portNameProblem(v, field);
  return v;
}

export function portNameProblem(v: string, field: string): FieldError {
  return new FieldError(field, `${JSON.stringify(v)} is not a valid port name (IANA_SVC_NAME)`);
}

/** IntOrString: a number is a port, a string a port name. */
export function parsePortOrName(v: unknown, field: string): number | string {
  return typeof v === 'string' ? parsePortName(v, field) : parsePortNumber(v, field);
}
