import type { Body } from '../generate/params.js';
import type { Prng } from '../generate/prng.js';
import { APPS, EXTERNAL_CIDRS } from '../generate/vocabulary.js';

type Rule = { from?: Body[]; to?: Body[]; ports?: { protocol?: string; port?: number | string; endPort?: number }[] };
type Spec = { ingress?: Rule[]; egress?: Rule[] };

export type PolicyEditKind = 'port' | 'peer' | 'rule';

const PORTS = [80, 443, 3000, 5432, 6379, 8080, 8443, 9090, 9200];

/** Rules a policy lists, ingress then egress, with the key their peers sit under. */
function rulesOf(spec: Spec): { rule: Rule; peers: 'from' | 'to' }[] {
  return [
    ...(spec.ingress ?? []).map((rule) => ({ rule, peers: 'from' as const })),
    ...(spec.egress ?? []).map((rule) => ({ rule, peers: 'to' as const })),
  ];
}

/** A port entry changes number (a named port becomes a number); a rule without ports gets one. */
function changePort(spec: Spec, rng: Prng): void {
  const { rule } = rng.pick(rulesOf(spec));
  if (!rule.ports?.length) {
    rule.ports = [{ protocol: 'TCP', port: rng.pick(PORTS) }];
    return;
  }
  const entry = rng.pick(rule.ports);
  const now = entry.port;
  entry.port = rng.pick(PORTS.filter((p) => p !== now));
  delete entry.endPort;
}

/** One more peer in a rule: an app of the namespace by label, or (egress) an outside network. */
function addPeer(spec: Spec, rng: Prng): void {
  const { rule, peers } = rng.pick(rulesOf(spec));
  const peer =
    peers === 'to' && rng.chance(0.3)
      ? { ipBlock: { cidr: rng.pick(EXTERNAL_CIDRS) } }
      : { podSelector: { matchLabels: { app: rng.pick(APPS).app } } };
  rule[peers] = [...(rule[peers] ?? []), peer];
}

/** A rule taken out, or the one taken out earlier put back, as people comment rules in and out. */
function toggleRule(spec: Spec, stash: WeakMap<Spec, { list: 'ingress' | 'egress'; rule: Rule }>): void {
  const stashed = stash.get(spec);
  if (stashed) {
    spec[stashed.list] = [...(spec[stashed.list] ?? []), stashed.rule];
    stash.delete(spec);
    return;
  }
  const list = spec.ingress?.length ? 'ingress' : 'egress';
  const rule = spec[list]!.pop()!;
  stash.set(spec, { list, rule });
}

/** Edits policies in place; only policies with at least one rule are edited (a default deny has none). */
export class PolicyEditor {
  private readonly stash = new WeakMap<Spec, { list: 'ingress' | 'egress'; rule: Rule }>();
  readonly done: Record<PolicyEditKind, number> = { port: 0, peer: 0, rule: 0 };

  constructor(private readonly rng: Prng) {}

  /** Edits one policy of `policies` (picked at random); returns the kind of edit. */
  edit(policies: readonly Body[]): { policy: Body; kind: PolicyEditKind } {
    let policy: Body;
    let spec: Spec;
    do {
      policy = this.rng.pick(policies);
      spec = policy.spec as Spec;
    } while (rulesOf(spec).length === 0 && !this.stash.has(spec));
    const kind = this.stash.has(spec) ? 'rule' : this.rng.pick(['port', 'peer', 'rule'] as const);
    if (kind === 'port') changePort(spec, this.rng);
    else if (kind === 'peer') addPeer(spec, this.rng);
    else toggleRule(spec, this.stash);
    this.done[kind]++;
    return { policy, kind };
  }
}
