import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { CidrError, parseCidr } from '../sets/address-set.js';
import { parseLabelSelector, SelectorError, type LabelSelector } from '../select/label-selector.js';
import { FieldError, namespaceOf, optionalList, optionalRecord, requiredName, type Obj } from './field-error.js';
import { parsePortNumber, parsePortOrName, parseProtocol } from './protocol.js';

export function selectorAt(raw: unknown, field: string): LabelSelector {
  try {
    return parseLabelSelector(raw);
  } catch (e) {
    if (e instanceof SelectorError) throw new FieldError(e.field ? `${field}.${e.field}` : field, e.message);
    throw e;
  }
}

export function cidrAt(raw: unknown, field: string) {
  if (typeof raw !== 'string') throw new FieldError(field, 'must be a CIDR string');
  try {
    return parseCidr(raw);
  } catch (e) {
    if (e instanceof CidrError) throw new FieldError(field, e.message);
    throw e;
  }
}

function parsePeer(raw: unknown, field: string): PolicyPeer {
  const peer = optionalRecord(raw, field);
  const hasPods = peer.podSelector != null || peer.namespaceSelector != null;
  if (peer.ipBlock != null) {
    if (hasPods) throw new FieldError(field, 'ipBlock cannot be combined with podSelector or namespaceSelector');
    const block = optionalRecord(peer.ipBlock, `${field}.ipBlock`);
    const cidr = cidrAt(block.cidr, `${field}.ipBlock.cidr`);
    const except = optionalList(block.except, `${field}.ipBlock.except`).map((e, i) => {
      const at = `${field}.ipBlock.except[${i}]`;
      const parsed = cidrAt(e, at);
      // Validation as the API server does it: each except must be a strict subset of cidr.
      if (parsed.family !== cidr.family || parsed.prefix <= cidr.prefix || !cidr.range.covers(parsed.range)) {
        throw new FieldError(at, `${parsed.text} must be a strict subset of cidr ${cidr.text}`);
      }
      return parsed;
    });
    const addresses = except.reduce((set, e) => set.subtract(e.range), cidr.range);
    return { kind: 'ipBlock', cidr, except, addresses };
  }
  if (!hasPods) throw new FieldError(field, 'must specify podSelector, namespaceSelector or ipBlock');
  return {
    kind: 'pods',
    // Without namespaceSelector the peer is in the policy's own namespace; with it, the two AND.
    namespaceSelector:
      peer.namespaceSelector == null ? null : selectorAt(peer.namespaceSelector, `${field}.namespaceSelector`),
    podSelector: selectorAt(peer.podSelector, `${field}.podSelector`),
  };
}

function parsePort(raw: unknown, field: string): PolicyPort {
  const entry = optionalRecord(raw, field);
  const protocol = parseProtocol(entry.protocol, `${field}.protocol`);
  if (entry.port == null) {
    if (entry.endPort != null) throw new FieldError(`${field}.endPort`, 'requires port');
    return { protocol };
  }
  const port = parsePortOrName(entry.port, `${field}.port`);
  if (entry.endPort == null) return { protocol, port };
  if (typeof port === 'string') throw new FieldError(`${field}.endPort`, 'cannot be used with a named port');
  const endPort = parsePortNumber(entry.endPort, `${field}.endPort`);
  if (endPort < port) throw new FieldError(`${field}.endPort`, `must be >= port (${port})`);
  return { protocol, port, endPort };
}

function parseRules(raw: unknown, field: string, peersKey: 'from' | 'to'): PolicyRule[] {
  return optionalList(raw, field).map((r, index) => {
    const at = `${field}[${index}]`;
    const rule = optionalRecord(r, at);
    const peers = optionalList(rule[peersKey], `${at}.${peersKey}`).map((p, j) =>
      parsePeer(p, `${at}.${peersKey}[${j}]`),
    );
    const ports = optionalList(rule.ports, `${at}.ports`).map((p, j) => parsePort(p, `${at}.ports[${j}]`));
    // An absent or empty from/to (ports) list matches every peer (port).
    return { index, peers: peers.length ? peers : 'all', ports: ports.length ? ports : 'all' };
  });
}

/** networking.k8s.io/v1 NetworkPolicy, validated and defaulted as the API server does it. */
export function readNetworkPolicy(body: Obj, source: SourceRef): NetworkPolicy {
  const meta = optionalRecord(body.metadata, 'metadata');
  const spec = optionalRecord(body.spec, 'spec');
  const ingress = parseRules(spec.ingress, 'spec.ingress', 'from');
  const egress = parseRules(spec.egress, 'spec.egress', 'to');
  const types = optionalList(spec.policyTypes, 'spec.policyTypes');
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') {
      throw new FieldError(
        `spec.policyTypes[${i}]`,
        `unknown policy type ${JSON.stringify(t)} (expected Ingress or Egress)`,
      );
    }
  });
  // Defaulting: an absent or empty policyTypes means Ingress, plus Egress when egress rules exist.
  // So egress rules alone still isolate ingress; only an explicit [Egress] leaves ingress open.
  const defaulted = types.length === 0;
  return {
    namespace: namespaceOf(meta),
    name: requiredName(meta),
    podSelector: selectorAt(spec.podSelector, 'spec.podSelector'),
    affectsIngress: defaulted || types.includes('Ingress'),
    affectsEgress: defaulted ? egress.length > 0 : types.includes('Egress'),
    ingress,
    egress,
    source,
  };
}
