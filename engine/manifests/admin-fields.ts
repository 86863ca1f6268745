import type { AdminAction, AdminPeer, AdminPolicy } from '../model/cluster.js';
import { LabelSelector } from '../select/label-selector.js';
import { FieldError, isRecord, optionalRecord, type Obj } from './field-error.js';
import { cidrAt, selectorAt } from './network-policy.js';

/**
 * Fields shared by AdminNetworkPolicy, BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1)
 * and ClusterNetworkPolicy (v1alpha2), validated as their CRD schemas make the API server do it
 * (kubernetes-sigs/network-policy-api, apis/v1alpha1 and apis/v1alpha2).
 */

/** A list field with the CRD's MinItems/MaxItems; absent is `[]` unless required. */
export function boundedList(
  raw: unknown,
  field: string,
  bounds: { min?: number; max: number; required?: boolean },
): unknown[] {
  if (raw === undefined || raw === null) {
    if (bounds.required) throw new FieldError(field, 'is required');
    return [];
  }
  if (!Array.isArray(raw)) throw new FieldError(field, 'must be a list');
  if (bounds.min !== undefined && raw.length < bounds.min) {
    throw new FieldError(field, `must have at least ${bounds.min} item(s)`);
  }
  if (raw.length > bounds.max) throw new FieldError(field, `must have at most ${bounds.max} items (has ${raw.length})`);
  return raw;
}

export function requiredRecord(raw: unknown, field: string): Obj {
  if (raw === undefined || raw === null) throw new FieldError(field, 'is required');
  return optionalRecord(raw, field);
}

/** `spec.priority`: an integer from 0 to 1000 (kubebuilder Minimum=0, Maximum=1000). */
export function parsePriority(raw: unknown, field: string): number {
  if (raw === undefined || raw === null) throw new FieldError(field, 'is required');
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > 1000) {
    throw new FieldError(field, `${JSON.stringify(raw)} is out of range (an integer from 0 to 1000)`);
  }
  return raw;
}

/** The action enum, as written; `Accept` (v1alpha2) means what `Allow` (v1alpha1) means. */
export function parseAction(raw: unknown, field: string, allowed: readonly string[]): AdminAction {
  if (typeof raw !== 'string' || !allowed.includes(raw)) {
    throw new FieldError(field, `unknown action ${JSON.stringify(raw)} (expected ${allowed.join(', ')})`);
  }
  return raw === 'Accept' ? 'Allow' : (raw as AdminAction);
}

export function parseRuleName(raw: unknown, field: string): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') throw new FieldError(field, 'must be a string');
  if (raw.length > 100) throw new FieldError(field, 'must be at most 100 characters');
  return raw;
}

/**
 * MinProperties=1, MaxProperties=1: exactly one of `known` is set. A mapping holding only
 * fields this version does not know is returned as `[]`: a newer peer type, which the caller
 * must treat as the types' documentation says (fail closed).
 */
export function oneOf(obj: Obj, field: string, known: readonly string[]): string[] {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined && obj[k] !== null);
  if (keys.length === 0) throw new FieldError(field, `must set exactly one of ${known.join(', ')}`);
  const set = keys.filter((k) => known.includes(k));
  if (set.length > 1)
    throw new FieldError(field, `must set exactly one of ${known.join(', ')} (has ${set.join(', ')})`);
  if (set.length === 0) return [];
  if (keys.length > 1) throw new FieldError(field, `must set exactly one field (has ${keys.join(', ')})`);
  return set;
}

function requiredSelector(raw: unknown, field: string): LabelSelector {
  if (raw === undefined || raw === null) throw new FieldError(field, 'is required');
  if (!isRecord(raw)) throw new FieldError(field, 'must be a mapping');
  return selectorAt(raw, field);
}

/**
 * NamespacedPod: namespaceSelector AND podSelector. v1alpha1 requires both; v1alpha2 lets
 * namespaceSelector be omitted, which (an empty selector) selects every namespace.
 */
function namespacedPod(raw: unknown, field: string, namespaceSelectorOptional: boolean): AdminPolicy['subject'] {
  const pods = requiredRecord(raw, field);
  const nsField = `${field}.namespaceSelector`;
  return {
    namespaceSelector:
      namespaceSelectorOptional && pods.namespaceSelector == null
        ? LabelSelector.everything
        : requiredSelector(pods.namespaceSelector, nsField),
    podSelector: requiredSelector(pods.podSelector, `${field}.podSelector`),
  };
}

export interface ApiVersionRules {
  /** v1alpha2 lets NamespacedPod.namespaceSelector be omitted. */
  namespaceSelectorOptional: boolean;
  /** MaxItems of from/to (100 in v1alpha1, 25 in v1alpha2). */
  maxPeers: number;
}

/** `spec.subject`: exactly one of `namespaces` (a namespace selector) or `pods` (NamespacedPod). */
export function parseSubject(raw: unknown, version: ApiVersionRules): AdminPolicy['subject'] {
  const subject = requiredRecord(raw, 'spec.subject');
  const [which] = oneOf(subject, 'spec.subject', ['namespaces', 'pods']);
  if (which === undefined) throw new FieldError('spec.subject', 'must set exactly one of namespaces, pods');
  if (which === 'namespaces') {
    return {
      namespaceSelector: requiredSelector(subject.namespaces, 'spec.subject.namespaces'),
      podSelector: LabelSelector.everything,
    };
  }
  return namespacedPod(subject.pods, 'spec.subject.pods', version.namespaceSelectorOptional);
}

/** DomainName (kubebuilder Pattern): DNS labels, `*.` only as a prefix, an optional trailing dot. */
const DOMAIN_LABEL = '[A-Za-z0-9](?:[-A-Za-z0-9_]*[A-Za-z0-9])?';
const DOMAIN_NAME = new RegExp(`^(?:\\*\\.)?(?:${DOMAIN_LABEL}\\.)+${DOMAIN_LABEL}\\.?$`);

const INGRESS_PEERS: readonly string[] = ['namespaces', 'pods'];
const EGRESS_PEERS: readonly string[] = ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];

/** One from/to entry. Egress peers may also be nodes, networks (≤ 25 CIDRs) or domainNames (≤ 25). */
export function parsePeer(
  raw: unknown,
  field: string,
  direction: 'ingress' | 'egress',
  version: ApiVersionRules,
): AdminPeer {
  const peer = optionalRecord(raw, field);
  const known = direction === 'ingress' ? INGRESS_PEERS : EGRESS_PEERS;
  const egressOnly =
    direction === 'ingress' ? EGRESS_PEERS.find((k) => !known.includes(k) && peer[k] != null) : undefined;
  if (egressOnly) throw new FieldError(`${field}.${egressOnly}`, 'is an egress peer only (not allowed in from)');
  const [which] = oneOf(peer, field, known);
  switch (which) {
    case undefined:
      return { kind: 'unknown', fields: Object.keys(peer) };
    case 'namespaces':
      return {
        kind: 'pods',
        namespaceSelector: requiredSelector(peer.namespaces, `${field}.namespaces`),
        podSelector: LabelSelector.everything,
      };
    case 'pods':
      return { kind: 'pods', ...namespacedPod(peer.pods, `${field}.pods`, version.namespaceSelectorOptional) };
    case 'nodes':
      return { kind: 'nodes', selector: requiredSelector(peer.nodes, `${field}.nodes`) };
    case 'networks': {
      const at = `${field}.networks`;
      const cidrs = boundedList(peer.networks, at, { min: 1, max: 25 }).map((c, i) => cidrAt(c, `${at}[${i}]`));
      const addresses = cidrs.slice(1).reduce((set, c) => set.union(c.range), cidrs[0]!.range);
      return { kind: 'networks', cidrs, addresses };
    }
    default: {
      const at = `${field}.domainNames`;
      const names = boundedList(peer.domainNames, at, { min: 1, max: 25 }).map((n, i) => {
        if (typeof n !== 'string' || !DOMAIN_NAME.test(n)) {
          throw new FieldError(`${at}[${i}]`, `${JSON.stringify(n)} is not a valid domain name`);
        }
        return n;
      });
      return { kind: 'domainNames', names };
    }
  }
}

/**
 * The CRDs' egress XValidation: networks, nodes and domainNames peers have no named ports, so
 * a rule naming them cannot also match a named port.
 */
export function checkNamedPortsWithAddressPeers(peers: readonly AdminPeer[], hasNamedPort: boolean, field: string) {
  if (hasNamedPort && peers.some((p) => p.kind === 'networks' || p.kind === 'nodes' || p.kind === 'domainNames')) {
    throw new FieldError(
      field,
      'networks/nodes/domainNames peers cannot be set with named ports (they have no named ports)',
    );
  }
}
