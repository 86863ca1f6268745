import type { ConnectionChange } from '../../engine/index.js';
import type { ExposureEventRow } from '../../store/exposure-events.repository.js';
import { isPolicyKind } from '../../store/history/objects.js';
import type { VersionWrite } from '../../store/versions.repository.js';

function namespaceOf(peer: string): string | undefined {
  return peer.startsWith('ip:') ? undefined : peer.split('/')[0];
}

/**
 * Names the objects behind each change. A connection is governed only by policies in the
 * source's namespace (egress) and the destination's (ingress), cluster-scoped admin tiers,
 * the two workloads themselves, and the labels of the two workloads' namespaces: a
 * namespaceSelector (in a NetworkPolicy peer or an admin policy's subject or peer) is matched
 * against the namespace of the pod on the other side, so no other namespace's labels can
 * change this pair. A pair's causes stay a handful however much of the cluster changed.
 */
export type Causes = (src: string, dst: string) => ExposureEventRow['causes'];

type Cause = ExposureEventRow['causes'][number];

export function causeIndex(objects: VersionWrite): Causes {
  const changed: Cause[] = [
    ...objects.added.map((o) => ({ kind: o.kind, key: o.key, hash: o.hash as string | null })),
    ...objects.changed.map((o) => ({ kind: o.kind, key: o.key, hash: o.hash as string | null })),
    ...objects.removed.map((o) => ({ kind: o.kind, key: o.key, hash: null })),
  ];
  const policiesByNamespace = new Map<string, Cause[]>();
  const clusterScoped: Cause[] = [];
  const namespaces = new Map<string, Cause>();
  const workloads = new Map<string, Cause>();
  for (const c of changed) {
    if (isPolicyKind(c.kind)) {
      const ns = c.key.includes('/') ? c.key.split('/')[0]! : undefined;
      if (!ns) clusterScoped.push(c);
      else policiesByNamespace.set(ns, [...(policiesByNamespace.get(ns) ?? []), c]);
    } else if (c.kind === 'Namespace') namespaces.set(c.key, c);
    else if (c.kind === 'Workload') workloads.set(c.key, c);
  }
  const inNamespace = (ns: string | undefined): Cause[] =>
    ns === undefined ? [] : (policiesByNamespace.get(ns) ?? []);
  return (src, dst) => {
    const from = namespaceOf(src);
    const to = namespaceOf(dst);
    const sides = from === to ? [from] : [from, to];
    return [
      ...inNamespace(from),
      ...(to !== from ? inNamespace(to) : []),
      ...clusterScoped,
      ...[src, dst].flatMap((p) => (workloads.has(p) ? [workloads.get(p)!] : [])),
      ...sides.flatMap((ns) => (ns !== undefined && namespaces.has(ns) ? [namespaces.get(ns)!] : [])),
    ];
  };
}

/** One row per change, made as they are read: a big change is never held as rows all at once. */
export function* changeRows(changes: Iterable<ConnectionChange>, causes: Causes): Generator<ExposureEventRow> {
  for (const c of changes) {
    yield {
      change: c.change,
      src: c.src,
      dst: c.dst,
      before: c.before.toRanges(),
      after: c.after.toRanges(),
      gained: c.gained.toRanges(),
      lost: c.lost.toRanges(),
      causes: causes(c.src, c.dst),
    };
  }
}

/** Workloads that outside addresses could not reach before and can now (and the reverse). */
export function exposureFlips(before: readonly string[], after: readonly string[], causes: Causes): ExposureEventRow[] {
  const was = new Set(before);
  const now = new Set(after);
  const row = (change: 'exposed' | 'unexposed', dst: string): ExposureEventRow => ({
    change,
    src: 'outside',
    dst,
    before: [],
    after: [],
    gained: [],
    lost: [],
    causes: causes('outside', dst),
  });
  return [
    ...after.filter((w) => !was.has(w)).map((w) => row('exposed', w)),
    ...before.filter((w) => !now.has(w)).map((w) => row('unexposed', w)),
  ];
}
