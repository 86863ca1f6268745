import type { AdminPolicy, AdminRule, PolicyPort } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import type { Protocol } from '../sets/connection-set.js';
import {
  boundedList,
  checkNamedPortsWithAddressPeers,
  oneOf,
  parseAction,
  parsePeer,
  parsePriority,
  parseRuleName,
  parseSubject,
  requiredRecord,
  type ApiVersionRules,
} from './admin-fields.js';
import { FieldError, isRecord, optionalRecord, Problems, requiredName, type Obj } from './field-error.js';
import { parsePortName, parsePortNumber } from './protocol.js';

/**
 * policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy (apis/v1alpha2/clusternetworkpolicy_types.go).
 * `tier` is Admin (before NetworkPolicy) or Baseline (for pods NetworkPolicy does not select);
 * `priority` (0–1000) orders policies within their tier, lower first; rules apply in the order
 * written, at most 25 per direction, each with 1–25 peers. Accept and Deny are final; Pass
 * "skips all further ClusterNetworkPolicy rules in the current tier ... and passes evaluation
 * to the next tier" (after the Baseline tier comes the default: allowed). `protocols` absent:
 * "protocol-specific attributes will not be used to match traffic" (every port).
 */

const V1ALPHA2: ApiVersionRules = { namespaceSelectorOptional: true, maxPeers: 25 };
const PROTOCOL_FIELDS: Record<string, Protocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

/** ClusterNetworkPolicyProtocol: exactly one of tcp, udp, sctp (each with destinationPort) or destinationNamedPort. */
function parseProtocolEntry(raw: unknown, field: string): PolicyPort[] {
  const entry = optionalRecord(raw, field);
  const [which] = oneOf(entry, field, ['tcp', 'udp', 'sctp', 'destinationNamedPort']);
  if (which === undefined) throw new FieldError(field, 'must set exactly one of tcp, udp, sctp, destinationNamedPort');
  if (which === 'destinationNamedPort') {
    const at = `${field}.destinationNamedPort`;
    if (typeof entry.destinationNamedPort !== 'string') throw new FieldError(at, 'must be a string');
    const name = parsePortName(entry.destinationNamedPort, at);
    // A container port name is unique in a pod: listed under every protocol it matches that one port.
    return (['TCP', 'UDP', 'SCTP'] as const).map((protocol) => ({ protocol, port: name }));
  }
  const protocol = PROTOCOL_FIELDS[which]!;
  const at = `${field}.${which}`;
  const body = requiredRecord(entry[which], at);
  // MinProperties=1 on the protocol, and Port is exactly one of number or range.
  const port = requiredRecord(body.destinationPort, `${at}.destinationPort`);
  const [kind] = oneOf(port, `${at}.destinationPort`, ['number', 'range']);
  if (kind === undefined) throw new FieldError(`${at}.destinationPort`, 'must set exactly one of number, range');
  if (kind === 'number') return [{ protocol, port: parsePortNumber(port.number, `${at}.destinationPort.number`) }];
  const rangeAt = `${at}.destinationPort.range`;
  const range = requiredRecord(port.range, rangeAt);
  const start = parsePortNumber(range.start, `${rangeAt}.start`);
  const end = parsePortNumber(range.end, `${rangeAt}.end`);
  if (start >= end) throw new FieldError(`${rangeAt}.end`, `must be greater than start (${start})`);
  return [{ protocol, port: start, endPort: end }];
}

/** Each rule on its own, and each of its parts: every problem is reported, as the API server does. */
function parseRules(raw: unknown, field: string, direction: 'ingress' | 'egress'): AdminRule[] {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const problems = new Problems();
  const rules = problems.each(
    problems.read([], () => boundedList(raw, field, { max: 25 })),
    (r, index): AdminRule => {
      const at = `${field}[${index}]`;
      const rule = optionalRecord(r, at);
      const parts = new Problems();
      const action = parts.read('Deny', () => parseAction(rule.action, `${at}.action`, ['Accept', 'Deny', 'Pass']));
      const listedPeers = parts.read([], () =>
        boundedList(rule[peersKey], `${at}.${peersKey}`, { min: 1, max: V1ALPHA2.maxPeers, required: true }),
      );
      const peers = parts.each(listedPeers, (p, j) => parsePeer(p, `${at}.${peersKey}[${j}]`, direction, V1ALPHA2));
      const listed = parts.read([], () => boundedList(rule.protocols, `${at}.protocols`, { min: 1, max: 25 }));
      const ports = parts.each(listed, (p, j) => parseProtocolEntry(p, `${at}.protocols[${j}]`)).flat();
      parts.read(undefined, () =>
        checkNamedPortsWithAddressPeers(
          peers,
          ports.some((p) => typeof p.port === 'string'),
          at,
        ),
      );
      const name = parts.read(undefined, () => parseRuleName(rule.name, `${at}.name`));
      return parts.done({
        index,
        ...(name ? { name } : {}),
        action,
        peers,
        ports: rule.protocols == null ? 'all' : ports,
      });
    },
  );
  return problems.done(rules);
}

/** Every problem of the policy is reported (thrown together). */
export function readClusterNetworkPolicy(body: Obj, source: SourceRef): AdminPolicy {
  const problems = new Problems();
  const meta = problems.read({}, () => optionalRecord(body.metadata, 'metadata'));
  const name = problems.read('', () => requiredName(meta));
  const spec = problems.read({}, () => requiredRecord(body.spec, 'spec'));
  const tier = spec.tier === 'Admin' || spec.tier === 'Baseline' ? spec.tier : undefined;
  if (isRecord(body.spec) && tier === undefined) {
    problems.add(new FieldError('spec.tier', `unknown tier ${JSON.stringify(spec.tier)} (expected Admin or Baseline)`));
  }
  const priority = problems.read(0, () => parsePriority(spec.priority, 'spec.priority'));
  const subject = problems.read(undefined, () => parseSubject(spec.subject, V1ALPHA2));
  const ingress = problems.read([], () => parseRules(spec.ingress, 'spec.ingress', 'ingress'));
  const egress = problems.read([], () => parseRules(spec.egress, 'spec.egress', 'egress'));
  return problems.done({
    kind: 'ClusterNetworkPolicy',
    name,
    tier: tier!,
    priority,
    subject: subject!,
    ingress,
    egress,
    source,
  });
}
