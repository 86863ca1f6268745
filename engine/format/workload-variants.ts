import type { NamedPort, Workload } from '../model/cluster.js';

export interface PodVariant {
  labels: Record<string, string>;
  namedPorts: NamedPort[];
  /** How many of the workload's pods look like this. */
  pods: number;
}

export interface WorkloadVariants {
  id: string;
  variants: PodVariant[];
}

function sortedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k]!;
  return out;
}

function sortedPorts(ports: readonly NamedPort[]): NamedPort[] {
  return ports
    .map((p) => ({ name: p.name, protocol: p.protocol, port: p.port }))
    .sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0,
    );
}

/** Same labels and named ports: the common case, checked without building keys. */
function alike(a: Workload['pods'][number], b: Workload['pods'][number]): boolean {
  if (a === b) return true;
  const keys = Object.keys(a.labels);
  if (keys.length !== Object.keys(b.labels).length || keys.some((k) => a.labels[k] !== b.labels[k])) return false;
  return (
    a.namedPorts.length === b.namedPorts.length &&
    a.namedPorts.every((p, i) => {
      const q = b.namedPorts[i]!;
      return p.name === q.name && p.protocol === q.protocol && p.port === q.port;
    })
  );
}

/**
 * A workload whose pods differ in labels or named ports (a canary, a rollout in progress)
 * may be reached differently pod by pod: the workload's connections are the union. Its
 * variants say so; undefined when all its pods look alike.
 */
export function workloadVariants(w: Workload): WorkloadVariants | undefined {
  if (w.pods.every((p) => alike(p, w.pods[0]!))) return undefined;
  const byKey = new Map<string, PodVariant>();
  for (const pod of w.pods) {
    const labels = sortedLabels(pod.labels);
    const namedPorts = sortedPorts(pod.namedPorts);
    const key = JSON.stringify([labels, namedPorts]);
    const seen = byKey.get(key);
    if (seen) seen.pods++;
    else byKey.set(key, { labels, namedPorts, pods: 1 });
  }
  if (byKey.size < 2) return undefined;
  // The most common variant first; ties by content, so the order does not depend on the input's.
  const keys = [...byKey.keys()].sort(
    (a, b) => byKey.get(b)!.pods - byKey.get(a)!.pods || (a < b ? -1 : a > b ? 1 : 0),
  );
  return { id: w.id, variants: keys.map((k) => byKey.get(k)!) };
}
