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
 * the two workloads themselves, and namespace labels that selectors read.
 */
export type Causes = (src: string, dst: string) => ExposureEventRow['causes'];

export function causeIndex(objects: VersionWrite): Causes {
  const changed = [
    ...objects.added.map((o) => ({ kind: o.kind, key: o.key, hash: o.hash as string | null })),
    ...objects.changed.map((o) => ({ kind: o.kind, key: o.key, hash: o.hash as string | null })),
    ...objects.removed.map((o) => ({ kind: o.kind, key: o.key, hash: null })),
  ];
  const policiesByNamespace = new Map<string, typeof changed>();
  const clusterScoped: typeof changed = [];
  const namespaces: typeof changed = [];
  const workloads = new Map<string, (typeof changed)[number]>();
  for (const c of changed) {
    if (isPolicyKind(c.kind)) {
      const ns = c.key.includes('/') ? c.key.split('/')[0]! : undefined;
      if (!ns) clusterScoped.push(c);
      else policiesByNamespace.set(ns, [...(policiesByNamespace.get(ns) ?? []), c]);
    } else if (c.kind === 'Namespace') namespaces.push(c);
    else if (c.kind === 'Workload') workloads.set(c.key, c);
  }
  return (src, dst) => [
    ...(policiesByNamespace.get(namespaceOf(src) ?? '') ?? []),
    ...(namespaceOf(dst) !== namespaceOf(src) ? (policiesByNamespace.get(namespaceOf(dst) ?? '') ?? []) : []),
    ...clusterScoped,
    ...[src, dst].flatMap((p) => (workloads.has(p) ? [workloads.get(p)!] : [])),
    ...namespaces,
  ];
}

export function changeRows(changes: readonly ConnectionChange[], causes: Causes): ExposureEventRow[] {
  return changes.map((c) => ({
    change: c.change,
    src: c.src,
    dst: c.dst,
    before: c.before.toRanges(),
    after: c.after.toRanges(),
    gained: c.gained.toRanges(),
    lost: c.lost.toRanges(),
    causes: causes(c.src, c.dst),
  }));
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
