import type { AdminAction, AdminPolicy, AdminPolicyKind, AdminRule, PolicyPort } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { PROTOCOLS } from '../sets/connection-set.js';
import {
  boundedList,
  checkNamedPortsWithAddressPeers,
  oneOf,
  parseAction,
  parsePeer,
  parseRuleName,
  parseSubject,
  requiredRecord,
  type ApiVersionRules,
} from './admin-fields.js';
import { FieldError, optionalRecord, Problems, type Obj } from './field-error.js';
import { parsePortName, parsePortNumber, parseProtocol } from './protocol.js';

/**
 * The rules of AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1):
 * at most 100 per direction; each names an action, 1–100 peers (`from`/`to`) and optionally 1–100
 * ports. "If Ports is not set then the rule does not filter traffic via port."
 */

const V1ALPHA1: ApiVersionRules = { namespaceSelectorOptional: false, maxPeers: 100 };

/**
 * AdminNetworkPolicyPort: exactly one of portNumber {protocol, port}, portRange {protocol,
 * start < end} or namedPort. A named port carries no protocol: it matches the destination
 * pod's container port of that name, whatever its protocol (container port names are unique
 * in a pod, so listing the name under every protocol matches exactly that port).
 */
function parsePort(raw: unknown, field: string): PolicyPort[] {
  const entry = optionalRecord(raw, field);
  const [which] = oneOf(entry, field, ['portNumber', 'portRange', 'namedPort']);
  if (which === undefined) throw new FieldError(field, 'must set exactly one of portNumber, portRange, namedPort');
  if (which === 'namedPort') {
    if (typeof entry.namedPort !== 'string') throw new FieldError(`${field}.namedPort`, 'must be a string');
    const name = parsePortName(entry.namedPort, `${field}.namedPort`);
    return PROTOCOLS.map((protocol) => ({ protocol, port: name }));
  }
  if (which === 'portNumber') {
    const at = `${field}.portNumber`;
    const p = requiredRecord(entry.portNumber, at);
    return [{ protocol: parseProtocol(p.protocol, `${at}.protocol`), port: parsePortNumber(p.port, `${at}.port`) }];
  }
  const at = `${field}.portRange`;
  const r = requiredRecord(entry.portRange, at);
  const start = parsePortNumber(r.start, `${at}.start`);
  const end = parsePortNumber(r.end, `${at}.end`);
  if (start >= end) throw new FieldError(`${at}.end`, `must be greater than start (${start})`);
  return [{ protocol: parseProtocol(r.protocol, `${at}.protocol`), port: start, endPort: end }];
}

/** Each rule on its own, and each of its parts: every problem is reported, as the API server does. */
function parseRules(raw: unknown, field: string, direction: 'ingress' | 'egress', actions: readonly string[]) {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const problems = new Problems();
  const rules = problems.each(
    problems.read([], () => boundedList(raw, field, { max: 100 })),
    (r, index): AdminRule => {
      const at = `${field}[${index}]`;
      const rule = optionalRecord(r, at);
      const parts = new Problems();
      const action: AdminAction = parts.read('Deny', () => parseAction(rule.action, `${at}.action`, actions));
      const listedPeers = parts.read([], () =>
        boundedList(rule[peersKey], `${at}.${peersKey}`, { min: 1, max: V1ALPHA1.maxPeers, required: true }),
      );
      const peers = parts.each(listedPeers, (p, j) => parsePeer(p, `${at}.${peersKey}[${j}]`, direction, V1ALPHA1));
      const listed = parts.read([], () => boundedList(rule.ports, `${at}.ports`, { min: 1, max: 100 }));
      const ports = parts.each(listed, (p, j) => parsePort(p, `${at}.ports[${j}]`)).flat();
      parts.read(undefined, () =>
        checkNamedPortsWithAddressPeers(
          peers,
          ports.some((p) => typeof p.port === 'string'),
          at,
        ),
      );
      const name = parts.read(undefined, () => parseRuleName(rule.name, `${at}.name`));
      return parts.done({ index, ...(name ? { name } : {}), action, peers, ports: rule.ports == null ? 'all' : ports });
    },
  );
  return problems.done(rules);
}

/** The parts of a v1alpha1 admin policy after metadata and priority. */
export function readV1alpha1Policy(
  body: Obj,
  source: SourceRef,
  kind: AdminPolicyKind,
  name: string,
  tier: AdminPolicy['tier'],
  priority: number,
  actions: readonly string[],
): AdminPolicy {
  const problems = new Problems();
  const spec = problems.read({}, () => requiredRecord(body.spec, 'spec'));
  const subject = problems.read(undefined, () => parseSubject(spec.subject, V1ALPHA1));
  const ingress = problems.read([], () => parseRules(spec.ingress, 'spec.ingress', 'ingress', actions));
  const egress = problems.read([], () => parseRules(spec.egress, 'spec.egress', 'egress', actions));
  return problems.done({ kind, name, tier, priority, subject: subject!, ingress, egress, source });
}
