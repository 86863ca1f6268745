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
import { FieldError, optionalRecord, type Obj } from './field-error.js';
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

function parseRules(raw: unknown, field: string, direction: 'ingress' | 'egress', actions: readonly string[]) {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  return boundedList(raw, field, { max: 100 }).map((r, index): AdminRule => {
    const at = `${field}[${index}]`;
    const rule = optionalRecord(r, at);
    const action: AdminAction = parseAction(rule.action, `${at}.action`, actions);
    const peers = boundedList(rule[peersKey], `${at}.${peersKey}`, {
      min: 1,
      max: V1ALPHA1.maxPeers,
      required: true,
    }).map((p, j) => parsePeer(p, `${at}.${peersKey}[${j}]`, direction, V1ALPHA1));
    const listed = boundedList(rule.ports, `${at}.ports`, { min: 1, max: 100 });
    const ports = listed.flatMap((p, j) => parsePort(p, `${at}.ports[${j}]`));
    checkNamedPortsWithAddressPeers(
      peers,
      ports.some((p) => typeof p.port === 'string'),
      at,
    );
    const name = parseRuleName(rule.name, `${at}.name`);
    return { index, ...(name ? { name } : {}), action, peers, ports: rule.ports == null ? 'all' : ports };
  });
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
  const spec = requiredRecord(body.spec, 'spec');
  return {
    kind,
    name,
    tier,
    priority,
    subject: parseSubject(spec.subject, V1ALPHA1),
    ingress: parseRules(spec.ingress, 'spec.ingress', 'ingress', actions),
    egress: parseRules(spec.egress, 'spec.egress', 'egress', actions),
    source,
  };
}
