import type { AlertChange, RulePorts } from '../arguments/alert-rule.js';
import { describeAddresses, parseSelectorText, type Labels } from '../engine/index.js';
import type { ExposureEventRow, PortRangeRow } from '../store/exposure-events.repository.js';
import { ALERT_FORMAT, MAX_ALERT_ITEMS, type Alert, type AlertCause, type AlertItem } from './alert.js';
import { itemSentence } from './words.js';

/** What a rule needs to know of its own row. */
export interface RuleToMatch {
  name: string;
  target: string;
  changes: readonly AlertChange[];
  source: string;
  ports: readonly RulePorts[] | null;
  severity: Alert['rule']['severity'];
}

/** The workloads and Services of the snapshot, for rules that name a selector or a Service. */
export interface SnapshotIndex {
  /** Each workload's pods' label sets. */
  workloadLabels(id: string): readonly Labels[] | undefined;
  /** A Service's selector; undefined: no such Service, or one without selector. */
  serviceSelector(key: string): Labels | undefined;
}

/** One snapshot's changes, as the worker has them inside the snapshot's transaction. */
export interface SnapshotChanges {
  cluster: string;
  snapshot: { id: number; takenAt: Date };
  events: readonly ExposureEventRow[];
  deletedPolicies: readonly { kind: string; key: string }[];
  /** `kind key` → how the object changed in this snapshot. */
  objectChanges: ReadonlyMap<string, AlertCause['change']>;
  index: SnapshotIndex;
}

/** A silence in force: a whole rule (`target` null) or one target (under one rule or all). */
export interface ActiveSilence {
  id: number;
  ruleName: string | null;
  target: string | null;
}

const isOutside = (peer: string) => peer.startsWith('ip:') || peer === 'outside';
const namespaceOf = (peer: string) => (isOutside(peer) ? null : (peer.split('/')[0] ?? null));

/** The first of these a change is, in order of how much people care. */
const GAINING: readonly AlertChange[] = ['outside', 'other-namespaces', 'added', 'widened'];
const LOSING: readonly AlertChange[] = ['removed', 'narrowed'];

/** Which of a rule's changes one event is, with the ports it gained or lost; undefined: none. */
function kindsOf(e: ExposureEventRow): { kinds: AlertChange[]; ports: PortRangeRow[] } {
  const crossNamespace = !isOutside(e.src) && !isOutside(e.dst) && namespaceOf(e.src) !== namespaceOf(e.dst);
  const gainedFrom = (base: AlertChange) => [
    ...(isOutside(e.src) ? (['outside'] as const) : []),
    ...(crossNamespace ? (['other-namespaces'] as const) : []),
    base,
  ];
  switch (e.change) {
    case 'added':
      return { kinds: gainedFrom('added'), ports: e.gained.length ? e.gained : e.after };
    case 'widened':
      return { kinds: gainedFrom('widened'), ports: e.gained };
    case 'changed':
      // Gained some and lost some: it is both, and the gain is what pages.
      return { kinds: [...gainedFrom('widened'), 'narrowed'], ports: e.gained };
    case 'removed':
      return { kinds: ['removed'], ports: e.lost.length ? e.lost : e.before };
    case 'narrowed':
      return { kinds: ['narrowed'], ports: e.lost };
    case 'exposed':
      return { kinds: ['outside'], ports: [] };
    case 'unexposed':
      return { kinds: ['narrowed'], ports: [] };
  }
}

function selectorMatches(ref: string, id: string, index: SnapshotIndex): boolean {
  const colon = ref.indexOf(':');
  const namespace = ref.slice('ns='.length, colon === -1 ? undefined : colon);
  if (namespaceOf(id) !== namespace || isOutside(id)) return false;
  if (colon === -1) return true;
  const selector = parseSelectorText(ref.slice(colon + 1));
  return (index.workloadLabels(id) ?? []).some((labels) => selector.matches(labels));
}

/** Whether a rule's target covers a workload (or outside group) id. */
export function targetCovers(target: string, id: string, index: SnapshotIndex): boolean {
  if (target === '*') return true;
  if (target.startsWith('ns=')) return selectorMatches(target, id, index);
  if (target.startsWith('svc:')) {
    const key = target.slice('svc:'.length);
    const selector = index.serviceSelector(key);
    if (!selector || namespaceOf(id) !== key.split('/')[0]) return false;
    // A Service selects pods by equality on every label of its selector.
    const wanted = Object.entries(selector);
    return (index.workloadLabels(id) ?? []).some((labels) => wanted.every(([k, v]) => labels[k] === v));
  }
  return target === id;
}

function sourceCovers(source: string, e: ExposureEventRow, index: SnapshotIndex): boolean {
  if (source === 'any') return true;
  if (source === 'outside') return isOutside(e.src);
  if (source === 'other-namespaces') return !isOutside(e.src) && namespaceOf(e.src) !== namespaceOf(e.dst);
  return selectorMatches(source, e.src, index);
}

function portsOverlap(rule: readonly RulePorts[] | null, ports: readonly PortRangeRow[]): boolean {
  if (rule === null) return true;
  return rule.some((r) =>
    ports.some(
      (p) => p.protocol === r.protocol && p.ports.some(([a, b]) => r.ports.some(([c, d]) => a <= d && c <= b)),
    ),
  );
}

/** Outside addresses as people read them (`0.0.0.0/0 except 10.0.0.0/8`); workload ids as they are. */
export function peerInWords(peer: string): string {
  if (peer === 'outside') return 'outside addresses';
  return describeAddresses(peer);
}

function explainPath(cluster: string, src: string, dst: string, snapshotId: number): string | null {
  if (src === 'outside') return null;
  const q = new URLSearchParams({ src, dst, at: `snapshot:${snapshotId}` });
  return `/api/v1/clusters/${encodeURIComponent(cluster)}/explain?${q}`;
}

const ORDER: readonly AlertChange[] = [...GAINING, 'policy-deleted', ...LOSING];

function silenced(silences: readonly ActiveSilence[], target: string): ActiveSilence | undefined {
  return silences.find((s) => s.target === target);
}

/**
 * What a rule makes of one snapshot's changes: one alert with every change it matched, or
 * nothing. `silences` are those in force for this rule; a silenced target's changes are left
 * out, and `silencedBy` names the silence when it left out everything.
 */
export function matchRule(
  rule: RuleToMatch,
  changes: SnapshotChanges,
  silences: readonly ActiveSilence[] = [],
): { alert: Alert; silencedBy: number | null } | null {
  const wanted = new Set(rule.changes);
  const items: AlertItem[] = [];
  const causeKeys = new Map<string, AlertCause>();
  let silencedBy: number | null = null;
  // A workload newly (no longer) reachable from outside gets connection events from the
  // outside groups too; the bare flip is listed only when no such event names the ports.
  const isFlip = (e: ExposureEventRow) => e.change === 'exposed' || e.change === 'unexposed';
  const outsideTargets = new Set(changes.events.filter((e) => isOutside(e.src) && !isFlip(e)).map((e) => e.dst));
  const outsideItems = new Map<string, { item: AlertItem; cidrs: string[] }>();
  for (const e of changes.events) {
    if (isFlip(e) && outsideTargets.has(e.dst)) continue;
    const { kinds, ports } = kindsOf(e);
    const change = kinds.find((k) => wanted.has(k));
    if (!change || change === 'overdue' || change === 'failing' || change === 'policy-deleted') continue;
    if (!targetCovers(rule.target, e.dst, changes.index) || !sourceCovers(rule.source, e, changes.index)) continue;
    if (ports.length > 0 && !portsOverlap(rule.ports, ports)) continue;
    if (ports.length === 0 && rule.ports !== null && !isFlip(e)) continue;
    const muted = silenced(silences, e.dst);
    if (muted) {
      silencedBy = muted.id;
      continue;
    }
    // The engine splits outside addresses into groups at every ipBlock edge: one ipBlock
    // 0.0.0.0/0 reaches a pod as two groups when another policy names 10.0.0.0/8. People read
    // one change from "0.0.0.0/0", so groups with the same change, target and ports are one item.
    const key = e.src.startsWith('ip:') ? `${change}\n${e.dst}\n${JSON.stringify(ports)}` : undefined;
    const same = key === undefined ? undefined : outsideItems.get(key);
    if (same) {
      same.cidrs.push(e.src.slice('ip:'.length));
      same.item.peer = peerInWords(`ip:${same.cidrs.join(',')}`);
    } else {
      const item: AlertItem = {
        change,
        target: e.dst,
        namespace: namespaceOf(e.dst),
        peer: peerInWords(e.src),
        ports,
        explainPath: explainPath(changes.cluster, e.src, e.dst, changes.snapshot.id),
      };
      items.push(item);
      if (key !== undefined) outsideItems.set(key, { item, cidrs: [e.src.slice('ip:'.length)] });
    }
    for (const c of e.causes) {
      const how = changes.objectChanges.get(`${c.kind} ${c.key}`) ?? (c.hash === null ? 'deleted' : 'changed');
      causeKeys.set(`${c.kind} ${c.key}`, { kind: c.kind, key: c.key, change: how });
    }
  }
  if (wanted.has('policy-deleted')) {
    for (const p of changes.deletedPolicies) {
      const namespace = p.key.includes('/') ? p.key.split('/')[0]! : null;
      const covers =
        rule.target === '*' ||
        (namespace !== null && (rule.target.startsWith(`ns=${namespace}`) || namespaceOf(rule.target) === namespace));
      if (!covers) continue;
      const target = `${p.kind} ${p.key}`;
      const muted = silenced(silences, target);
      if (muted) {
        silencedBy = muted.id;
        continue;
      }
      items.push({ change: 'policy-deleted', target, namespace, peer: null, ports: [], explainPath: null });
      causeKeys.set(target, { kind: p.kind, key: p.key, change: 'deleted' });
    }
  }
  const ruleSilence = silences.find((s) => s.target === null);
  if (items.length === 0) return silencedBy === null ? null : { alert: emptyAlert(), silencedBy };
  items.sort(
    (a, b) =>
      ORDER.indexOf(a.change) - ORDER.indexOf(b.change) ||
      (a.target < b.target ? -1 : a.target > b.target ? 1 : 0) ||
      ((a.peer ?? '') < (b.peer ?? '') ? -1 : 1),
  );
  const counts: Alert['counts'] = {};
  for (const i of items) counts[i.change] = (counts[i.change] ?? 0) + 1;
  const alert: Alert = {
    format: ALERT_FORMAT,
    kind: 'exposure',
    rule: { name: rule.name, severity: rule.severity },
    cluster: changes.cluster,
    snapshot: { id: changes.snapshot.id, takenAt: changes.snapshot.takenAt.toISOString() },
    summary: summaryOf(items),
    total: items.length,
    counts,
    items: items.slice(0, MAX_ALERT_ITEMS),
    causes: [...causeKeys.values()].slice(0, MAX_ALERT_ITEMS),
    detail: null,
    changesPath: changesPath(changes.cluster, changes.snapshot.takenAt, changes.snapshot.id),
  };
  return { alert, silencedBy: ruleSilence ? ruleSilence.id : null };

  function emptyAlert(): Alert {
    return {
      format: ALERT_FORMAT,
      kind: 'exposure',
      rule: { name: rule.name, severity: rule.severity },
      cluster: changes.cluster,
      snapshot: { id: changes.snapshot.id, takenAt: changes.snapshot.takenAt.toISOString() },
      summary: 'every change was silenced',
      total: 0,
      counts: {},
      items: [],
      causes: [],
      detail: null,
      changesPath: null,
    };
  }
}

/** The first change in words, and how many more there are. */
function summaryOf(items: readonly AlertItem[]): string {
  const first = itemSentence(items[0]!);
  const more = items.length - 1;
  return more === 0 ? first : `${first} (and ${more} more change${more === 1 ? '' : 's'})`;
}

/** The snapshot's changes in the API: from just before it to it. */
function changesPath(cluster: string, takenAt: Date, snapshotId: number): string {
  const q = new URLSearchParams({ from: new Date(takenAt.getTime() - 1).toISOString(), to: `snapshot:${snapshotId}` });
  return `/api/v1/clusters/${encodeURIComponent(cluster)}/diff?${q}`;
}
