import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { CidrError, parseCidr } from '../sets/address-set.js';
import { LabelSelector, parseLabelSelector, SelectorError } from '../select/label-selector.js';
import {
  FieldError,
  FieldErrors,
  namespaceOf,
  optionalList,
  optionalRecord,
  Problems,
  requiredName,
  type Obj,
} from './field-error.js';
import { parsePortNumber, parsePortOrName, parseProtocol } from './protocol.js';

export function selectorAt(raw: unknown, field: string): LabelSelector {
  try {
    return parseLabelSelector(raw);
  } catch (e) {
    if (!(e instanceof SelectorError)) throw e;
    throw new FieldErrors(e.problems.map((p) => new FieldError(p.field ? `${field}.${p.field}` : field, p.message)));
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

/**
 * An ipBlock, every problem of it: the cidr, and each except (its syntax always; whether it is
 * a strict subset of cidr when cidr could be read).
 */
function parseIpBlock(raw: unknown, field: string): PolicyPeer {
  const block = optionalRecord(raw, field);
  const problems = new Problems();
  const cidr = problems.read(undefined, () => cidrAt(block.cidr, `${field}.cidr`));
  const except = problems.each(optionalList(block.except, `${field}.except`), (e, i) => {
    const at = `${field}.except[${i}]`;
    const parsed = cidrAt(e, at);
    // Validation as the API server does it: each except must be a strict subset of cidr.
    if (cidr && (parsed.family !== cidr.family || parsed.prefix <= cidr.prefix || !cidr.range.covers(parsed.range))) {
      throw new FieldError(at, `${parsed.text} must be a strict subset of cidr ${cidr.text}`);
    }
    return parsed;
  });
  problems.done(undefined);
  const addresses = except.reduce((set, e) => set.subtract(e.range), cidr!.range);
  return { kind: 'ipBlock', cidr: cidr!, except, addresses };
}

function parsePeer(raw: unknown, field: string): PolicyPeer {
  const peer = optionalRecord(raw, field);
  const hasPods = peer.podSelector != null || peer.namespaceSelector != null;
  if (peer.ipBlock != null) {
    if (hasPods) throw new FieldError(field, 'ipBlock cannot be combined with podSelector or namespaceSelector');
    return parseIpBlock(peer.ipBlock, `${field}.ipBlock`);
  }
  if (!hasPods) throw new FieldError(field, 'must specify podSelector, namespaceSelector or ipBlock');
  const problems = new Problems();
  const everything = LabelSelector.everything;
  // Without namespaceSelector the peer is in the policy's own namespace; with it, the two AND.
  const namespaceSelector =
    peer.namespaceSelector == null
      ? null
      : problems.read(everything, () => selectorAt(peer.namespaceSelector, `${field}.namespaceSelector`));
  const podSelector = problems.read(everything, () => selectorAt(peer.podSelector, `${field}.podSelector`));
  return problems.done({ kind: 'pods', namespaceSelector, podSelector });
}

function parsePort(raw: unknown, field: string): PolicyPort {
  const entry = optionalRecord(raw, field);
  const problems = new Problems();
  const protocol = problems.read('TCP', () => parseProtocol(entry.protocol, `${field}.protocol`));
  if (entry.port == null) {
    if (entry.endPort != null) problems.add(new FieldError(`${field}.endPort`, 'requires port'));
    return problems.done({ protocol });
  }
  const port = problems.read(undefined, () => parsePortOrName(entry.port, `${field}.port`));
  if (entry.endPort == null) return problems.done({ protocol, port });
  const endPort = problems.read(undefined, () => parsePortNumber(entry.endPort, `${field}.endPort`));
  if (typeof port === 'string') problems.add(new FieldError(`${field}.endPort`, 'cannot be used with a named port'));
  else if (port !== undefined && endPort !== undefined && endPort < port) {
    problems.add(new FieldError(`${field}.endPort`, `must be >= port (${port})`));
  }
  return problems.done({ protocol, port, endPort });
}

function parseRules(raw: unknown, field: string, peersKey: 'from' | 'to'): PolicyRule[] {
  const problems = new Problems();
  const rules = problems.each(optionalList(raw, field), (r, index): PolicyRule => {
    const at = `${field}[${index}]`;
    const rule = optionalRecord(r, at);
    const parts = new Problems();
    const peers = parts.each(
      parts.read([], () => optionalList(rule[peersKey], `${at}.${peersKey}`)),
      (p, j) => parsePeer(p, `${at}.${peersKey}[${j}]`),
    );
    const ports = parts.each(
      parts.read([], () => optionalList(rule.ports, `${at}.ports`)),
      (p, j) => parsePort(p, `${at}.ports[${j}]`),
    );
    // An absent or empty from/to (ports) list matches every peer (port).
    return parts.done({
      index,
      peers: peers.length ? peers : 'all',
      ports: ports.length ? ports : 'all',
    });
  });
  return problems.done(rules);
}

/**
 * networking.k8s.io/v1 NetworkPolicy, validated and defaulted as the API server does it:
 * every problem is reported (thrown together), not only the first.
 */
export function readNetworkPolicy(body: Obj, source: SourceRef): NetworkPolicy {
  const problems = new Problems();
  const meta = problems.read({}, () => optionalRecord(body.metadata, 'metadata'));
  const spec = problems.read({}, () => optionalRecord(body.spec, 'spec'));
  const namespace = problems.read('', () => namespaceOf(meta));
  const name = problems.read('', () => requiredName(meta));
  const podSelector = problems.read(LabelSelector.everything, () => selectorAt(spec.podSelector, 'spec.podSelector'));
  const ingress = problems.read([], () => parseRules(spec.ingress, 'spec.ingress', 'from'));
  const egress = problems.read([], () => parseRules(spec.egress, 'spec.egress', 'to'));
  const types = problems.read([], () => optionalList(spec.policyTypes, 'spec.policyTypes'));
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') {
      problems.add(
        new FieldError(
          `spec.policyTypes[${i}]`,
          `unknown policy type ${JSON.stringify(t)} (expected Ingress or Egress)`,
        ),
      );
    }
  });
  // Defaulting: an absent or empty policyTypes means Ingress, plus Egress when egress rules exist.
  // So egress rules alone still isolate ingress; only an explicit [Egress] leaves ingress open.
  const defaulted = types.length === 0;
  return problems.done({
    namespace,
    name,
    podSelector,
    affectsIngress: defaulted || types.includes('Ingress'),
    affectsEgress: defaulted ? egress.length > 0 : types.includes('Egress'),
    ingress,
    egress,
    source,
  });
}
