import fc from 'fast-check';
import {
  ipBlock,
  LABEL_VALUES,
  NAMESPACES,
  NS_LABEL_KEYS,
  peer,
  pod,
  podIp,
  podSelector,
  policySpec,
  policyTypes,
  portEntry,
  PORT_NAMES,
  PORT_NUMBERS,
  POD_LABEL_KEYS,
  protocol,
  type ClusterCase,
} from './arbitrary-cluster.js';

/**
 * Random edits of the random clusters of arbitrary-cluster.ts, for tests that compare a cluster
 * with a later version of it. Indices are taken modulo what exists, so every edit applies to
 * every case (and a shrunk case still means something).
 */

const direction = fc.constantFrom('ingress' as const, 'egress' as const);
const index = fc.nat(7);

export const policyEdit = fc.oneof(
  fc.record({ kind: fc.constant('addPolicy' as const), ns: index, spec: policySpec }),
  fc.record({ kind: fc.constant('removePolicy' as const), at: index }),
  fc.record({ kind: fc.constant('changePort' as const), at: index, direction, rule: index, entry: portEntry }),
  fc.record({ kind: fc.constant('changeSelector' as const), at: index, podSelector }),
  fc.record({ kind: fc.constant('changePeer' as const), at: index, direction, rule: index, peer }),
  fc.record({ kind: fc.constant('changePolicyTypes' as const), at: index, policyTypes }),
);

export const podEdit = fc.oneof(
  fc.record({ kind: fc.constant('addPod' as const), ns: index, pod }),
  fc.record({
    kind: fc.constant('changeLabel' as const),
    ns: index,
    at: index,
    key: fc.constantFrom(...POD_LABEL_KEYS),
    value: fc.option(fc.constantFrom(...LABEL_VALUES), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('changeNamedPort' as const),
    ns: index,
    at: index,
    name: fc.constantFrom(...PORT_NAMES),
    containerPort: fc.constantFrom(...PORT_NUMBERS),
    protocol,
  }),
);

/**
 * A rule from ipBlocks only, added to a policy: ipBlocks re-cut the outside addresses, the
 * case where stored history is easiest to get wrong.
 */
export const ipRuleEdit = fc.record({
  kind: fc.constant('addIpRule' as const),
  at: index,
  direction,
  blocks: fc.array(
    ipBlock.map((b) => ({ ipBlock: b })),
    { minLength: 1, maxLength: 2 },
  ),
  ports: fc.array(portEntry, { maxLength: 2 }),
});

/** A pod's address moves (a restart): only address-matching peers (ipBlocks, admin networks) can notice. */
export const podIpEdit = fc.record({ kind: fc.constant('changePodIp' as const), ns: index, at: index, ip: podIp });

/** Workloads go (a namespace keeps one pod, so pod edits still apply) and namespaces are relabelled. */
export const lifecycleEdit = fc.oneof(
  fc.record({ kind: fc.constant('removePod' as const), ns: index, at: index }),
  fc.record({
    kind: fc.constant('changeNamespaceLabel' as const),
    ns: index,
    key: fc.constantFrom(...NS_LABEL_KEYS),
    value: fc.option(fc.constantFrom(...LABEL_VALUES), { nil: undefined }),
  }),
);

type ValueOf<A> = A extends fc.Arbitrary<infer E> ? E : never;
export type Edit = ValueOf<
  typeof policyEdit | typeof podEdit | typeof ipRuleEdit | typeof podIpEdit | typeof lifecycleEdit
>;

/** A rule as the generator makes it: peers under `from` (ingress) or `to` (egress). */
type Rule = { from?: unknown[]; to?: unknown[]; ports?: unknown[] };
type Spec = { podSelector?: unknown; policyTypes?: readonly string[]; ingress?: Rule[]; egress?: Rule[] };

function pick<T>(list: T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length];
}

/** The rule an edit aims at, created when the policy has none in that direction. */
function ruleOf(spec: Spec, dir: 'ingress' | 'egress', i: number): Rule {
  const rules = (spec[dir] ??= []);
  if (rules.length === 0) rules.push({});
  return rules[i % rules.length]!;
}

function apply(c: ClusterCase, edit: Edit): void {
  const n = c.namespaces.length;
  const spec = 'at' in edit ? (pick(c.policies, edit.at)?.spec as Spec | undefined) : undefined;
  switch (edit.kind) {
    case 'addPolicy':
      c.policies.push({ namespace: NAMESPACES[edit.ns % n]!, spec: edit.spec });
      return;
    case 'removePolicy':
      if (c.policies.length > 0) c.policies.splice(edit.at % c.policies.length, 1);
      return;
    case 'changePort': {
      if (!spec) return;
      const rule = ruleOf(spec, edit.direction, edit.rule);
      const ports = (rule.ports ??= []);
      if (ports.length === 0) ports.push(edit.entry);
      else ports[edit.rule % ports.length] = edit.entry;
      return;
    }
    case 'changeSelector':
      if (spec) spec.podSelector = edit.podSelector;
      return;
    case 'changePeer': {
      if (!spec) return;
      const rule = ruleOf(spec, edit.direction, edit.rule);
      const key = edit.direction === 'ingress' ? 'from' : 'to';
      const peers = (rule[key] ??= []);
      if (peers.length === 0) peers.push(edit.peer);
      else peers[edit.rule % peers.length] = edit.peer;
      return;
    }
    case 'addIpRule': {
      if (!spec) return;
      const peers = edit.direction === 'ingress' ? { from: edit.blocks } : { to: edit.blocks };
      (spec[edit.direction] ??= []).push({ ...peers, ports: edit.ports });
      return;
    }
    case 'changePodIp': {
      const p = pick(c.namespaces[edit.ns % n]!.pods, edit.at)!;
      p.ip = edit.ip;
      return;
    }
    case 'removePod': {
      const pods = c.namespaces[edit.ns % n]!.pods;
      if (pods.length > 1) pods.splice(edit.at % pods.length, 1);
      return;
    }
    case 'changeNamespaceLabel': {
      const labels = c.namespaces[edit.ns % n]!.labels;
      if (edit.value === undefined) delete labels[edit.key];
      else labels[edit.key] = edit.value;
      return;
    }
    case 'changePolicyTypes':
      if (spec) spec.policyTypes = edit.policyTypes;
      return;
    case 'addPod':
      c.namespaces[edit.ns % n]!.pods.push(edit.pod);
      return;
    case 'changeLabel': {
      const p = pick(c.namespaces[edit.ns % n]!.pods, edit.at)!;
      if (edit.value === undefined) delete p.labels[edit.key];
      else p.labels[edit.key] = edit.value;
      return;
    }
    case 'changeNamedPort': {
      const p = pick(c.namespaces[edit.ns % n]!.pods, edit.at)!;
      const { name, containerPort, protocol } = edit;
      // Container port names stay unique within the pod, as the API requires.
      const existing = p.ports.find((q) => q.name === name);
      if (existing) Object.assign(existing, { containerPort, protocol });
      else p.ports.push({ name, containerPort, protocol });
      return;
    }
  }
}

/** A copy of the case with the edits applied in order. */
export function edited(c: ClusterCase, edits: readonly Edit[]): ClusterCase {
  const copy = structuredClone(c);
  for (const e of edits) apply(copy, e);
  return copy;
}
