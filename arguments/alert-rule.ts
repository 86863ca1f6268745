import ms from 'ms';
import { PROTOCOLS, type Protocol } from '../engine/index.js';
import { ArgumentError } from './argument-error.js';
import { parseSelectorArgument } from './selector.js';

/**
 * What a rule listens for. Connection changes: `added` (from nothing), `widened` (more ports or
 * peers), `outside` (newly reachable from outside addresses), `other-namespaces` (newly
 * reachable from another namespace), `removed` and `narrowed` (only when asked). Beside them:
 * `policy-deleted`, and the cluster's health: `overdue` and `failing` snapshots.
 */
export const ALERT_CHANGES = [
  'added',
  'widened',
  'outside',
  'other-namespaces',
  'removed',
  'narrowed',
  'policy-deleted',
  'overdue',
  'failing',
] as const;
export type AlertChange = (typeof ALERT_CHANGES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RECEIVER_KINDS = ['slack', 'webhook', 'alertmanager'] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

/** A port range of one protocol, as exposure events store them. */
export interface RulePorts {
  protocol: Protocol;
  ports: [number, number][];
}

function oneOf<T extends string>(all: readonly T[], value: unknown, parameter: string): T {
  if (typeof value === 'string' && (all as readonly string[]).includes(value)) return value as T;
  throw new ArgumentError(parameter, value, `expected one of ${all.join(', ')}`);
}

/** `outside,widened` or a list of names. */
export function parseAlertChanges(value: unknown, parameter: string): AlertChange[] {
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(items) || items.length === 0) {
    throw new ArgumentError(parameter, value, `expected one or more of ${ALERT_CHANGES.join(', ')}`);
  }
  return [...new Set(items.map((i) => oneOf(ALERT_CHANGES, i, parameter)))];
}

export function parseSeverity(value: unknown, parameter: string): Severity {
  return oneOf(SEVERITIES, value ?? 'warning', parameter);
}

export function parseReceiverKind(value: unknown, parameter: string): ReceiverKind {
  return oneOf(RECEIVER_KINDS, value, parameter);
}

const WORKLOAD_ID = /^[^/\s[\]]+\/[^/\s[\]]+\[[A-Za-z]+\]$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const TARGET_FORMS =
  'expected * (everything), a workload id (db/postgres[StatefulSet]), ns=<namespace>, ' +
  'ns=<namespace>:<selector> or svc:<namespace>/<name>';

/** `ns=db` or `ns=db:app=postgres`: the namespace checked, the selector parsed (errors name the position). */
function checkNamespaceSelector(text: string, parameter: string, expected: string): void {
  const colon = text.indexOf(':');
  const namespace = text.slice('ns='.length, colon === -1 ? undefined : colon);
  if (!NAMESPACE.test(namespace)) throw new ArgumentError(parameter, text, expected);
  if (colon !== -1) parseSelectorArgument(text, parameter, Array.from(text.slice(0, colon + 1)).length);
}

/** What a rule watches, the same forms as the API's targets plus `*` and a whole namespace. */
export function parseAlertTarget(value: unknown, parameter: string): string {
  const text = typeof value === 'string' ? value.trim() : value === undefined ? '*' : value;
  if (typeof text !== 'string') throw new ArgumentError(parameter, value, TARGET_FORMS);
  if (text === '*' || text === '' || text === 'everything') return '*';
  if (WORKLOAD_ID.test(text)) return text;
  if (text.startsWith('svc:') && /^svc:[^/\s]+\/[^/\s]+$/.test(text)) return text;
  if (text.startsWith('ns=')) {
    checkNamespaceSelector(text, parameter, TARGET_FORMS);
    return text;
  }
  throw new ArgumentError(parameter, value, TARGET_FORMS);
}

const SOURCE_FORMS = 'expected any, outside, other-namespaces or ns=<namespace>:<selector>';

/** Whose new access counts: anyone, outside addresses, other namespaces, or selected pods. */
export function parseAlertSource(value: unknown, parameter: string): string {
  const text = typeof value === 'string' ? value.trim() : value === undefined ? 'any' : value;
  if (typeof text !== 'string') throw new ArgumentError(parameter, value, SOURCE_FORMS);
  if (['any', 'outside', 'other-namespaces'].includes(text)) return text;
  if (text.startsWith('ns=')) {
    checkNamespaceSelector(text, parameter, SOURCE_FORMS);
    return text;
  }
  throw new ArgumentError(parameter, value, SOURCE_FORMS);
}

/** `5432/TCP,8000-8100,53/UDP` → port ranges per protocol; empty or absent: any port (null). */
export function parseAlertPorts(value: unknown, parameter: string): RulePorts[] | null {
  if (value === undefined || value === null || value === '') return null;
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(items)) throw new ArgumentError(parameter, value, 'expected PORT[-END][/PROTOCOL],…');
  const byProtocol = new Map<Protocol, [number, number][]>();
  for (const item of items) {
    const match = typeof item === 'string' ? /^(\d{1,5})(?:-(\d{1,5}))?(?:\/([A-Za-z]+))?$/.exec(item) : null;
    const from = Number(match?.[1]);
    const to = match?.[2] === undefined ? from : Number(match[2]);
    const protocol = (match?.[3] ?? 'TCP').toUpperCase() as Protocol;
    if (!match || from < 1 || to > 65535 || to < from || !PROTOCOLS.includes(protocol)) {
      throw new ArgumentError(parameter, item, 'expected PORT[-END][/PROTOCOL], e.g. 5432/TCP or 8000-8100');
    }
    byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), [from, to]]);
  }
  return [...byProtocol].map(([protocol, ports]) => ({ protocol, ports }));
}

/** `2h`, `30m`, `1d`: how long a silence lasts (1 minute to 90 days). */
export function parseSilenceDuration(value: unknown, parameter: string): number {
  const millis = typeof value === 'string' && value.length <= 20 ? ms(value as ms.StringValue) : undefined;
  if (typeof millis !== 'number' || !Number.isFinite(millis) || millis < 60_000 || millis > 90 * 86_400_000) {
    throw new ArgumentError(parameter, value, 'expected a duration from 1m to 90d, e.g. 2h');
  }
  return millis;
}
