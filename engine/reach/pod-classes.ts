import type { Cluster, NamedPort, Pod } from '../model/cluster.js';
import type { Labels } from '../select/label-selector.js';
import { sameVariantLabels } from '../model/volatile-labels.js';

/**
 * Pods that no policy can tell apart form one class: same namespace, same values for the
 * label keys some pod selector references, same named ports (and, when ipBlocks match pods,
 * the same ipBlocks covering their addresses). The engine computes on classes, never on pods.
 */
export interface PodClass {
  index: number;
  namespace: string;
  /** Only the label keys selectors reference. */
  labels: Labels;
  namedPorts: readonly NamedPort[];
  /** What `extraKey` said of its pods (the ipBlocks covering them, when ipBlocks match pods). */
  extra: string;
  podCount: number;
}

export interface PodClasses {
  classes: PodClass[];
  /** Workload id → its classes, ascending. Absent for workloads off the policy plane (hostNetwork). */
  classesOfWorkload: Map<string, number[]>;
  /**
   * Workload id → its classes holding pods of several of its variants (labels other than the
   * volatile ones, or named ports, differ), ascending; absent when none. Such pods are
   * different pods of the workload whatever its pod count, so they may connect to each other.
   */
  multiVariantClasses: Map<string, number[]>;
  /**
   * A fingerprint of the pod side (classes of each workload's pods, the classes' keys): equal
   * arrays mean an identical pod side. Built on first use: only a recomputation compares it.
   */
  podKeys(): readonly string[];
}

/** A class's identity: namespace, the relevant labels it has, named ports, the extra key. */
function classKey(
  namespace: string,
  labels: Labels,
  relevantKeys: readonly string[],
  namedPorts: readonly NamedPort[],
  extra: string,
): string {
  let key = namespace;
  for (const k of relevantKeys) {
    const v = labels[k];
    if (v !== undefined) key += `\u0000${k}=${v}`;
  }
  return `${key}\u0001${namedPortsKey(namedPorts)}\u0001${extra}`;
}

function namedPortsKey(ports: readonly NamedPort[]): string {
  if (ports.length === 0) return '';
  return ports
    .map((p) => `${p.name}/${p.protocol}/${p.port}`)
    .sort()
    .join(',');
}

/** Equal for classes: the relevant label values and the named ports (the extra key aside). */
function sameForClasses(a: Pod, b: Pod, relevantKeys: readonly string[]): boolean {
  if (a.namespace !== b.namespace) return false;
  for (const k of relevantKeys) if (a.labels[k] !== b.labels[k]) return false;
  if (a.namedPorts === b.namedPorts) return true;
  if (a.namedPorts.length !== b.namedPorts.length) return false;
  return a.namedPorts.every((p, i) => {
    const q = b.namedPorts[i]!;
    return p.name === q.name && p.protocol === q.protocol && p.port === q.port;
  });
}

/** Two pods of one workload and one class are one variant when their labels, the volatile ones aside, are equal (the class has their named ports equal). */
function sameVariant(a: Pod, b: Pod): boolean {
  return sameVariantLabels(a.labels, b.labels);
}

export function buildPodClasses(
  cluster: Cluster,
  relevantKeys: readonly string[],
  extraKey?: (pod: Pod) => string,
): PodClasses {
  const classes: PodClass[] = [];
  const byKey = new Map<string, PodClass>();
  const classesOfWorkload = new Map<string, number[]>();
  const multiVariantClasses = new Map<string, number[]>();
  /** Each placed pod's class, workload after workload: what the fingerprint is built from. */
  const sequence: number[] = [];
  // Per class, the workload that last placed a pod there (its ordinal + 1) and that pod: which
  // classes a workload uses, and whether a class holds two of its variants, without a Map or a
  // Set per workload (there are tens of thousands).
  const stampOfClass: number[] = [];
  const firstPodOfClass: Pod[] = [];
  let ordinal = 0;
  for (const w of cluster.workloads) {
    const stamp = ++ordinal;
    let placed = 0;
    const distinct: number[] = [];
    let multi: number[] | undefined;
    let previous: { pod: Pod; cls: PodClass } | undefined;
    for (const pod of w.pods) {
      if (pod.hostNetwork) continue;
      const extra = extraKey ? extraKey(pod) : '';
      // Pods of one workload mostly look alike: compare with the last one before building a key.
      let cls: PodClass | undefined;
      if (previous && previous.cls.extra === extra && sameForClasses(pod, previous.pod, relevantKeys)) {
        cls = previous.cls;
      } else {
        const key = classKey(pod.namespace, pod.labels, relevantKeys, pod.namedPorts, extra);
        cls = byKey.get(key);
        if (!cls) {
          const labels: Record<string, string> = {};
          for (const k of relevantKeys) {
            const v = pod.labels[k];
            if (v !== undefined) labels[k] = v;
          }
          cls = {
            index: classes.length,
            namespace: pod.namespace,
            labels,
            namedPorts: pod.namedPorts,
            extra,
            podCount: 0,
          };
          classes.push(cls);
          byKey.set(key, cls);
        }
        previous = { pod, cls };
      }
      cls.podCount++;
      const c = cls.index;
      sequence.push(c);
      placed++;
      if (stampOfClass[c] !== stamp) {
        stampOfClass[c] = stamp;
        firstPodOfClass[c] = pod;
        distinct.push(c);
      } else if (!multi?.includes(c) && !sameVariant(firstPodOfClass[c]!, pod)) (multi ??= []).push(c);
    }
    if (placed === 0) continue;
    if (multi)
      multiVariantClasses.set(
        w.id,
        multi.sort((a, b) => a - b),
      );
    classesOfWorkload.set(w.id, distinct.length > 1 ? distinct.sort((a, b) => a - b) : distinct);
  }
  let podKeys: string[] | undefined;
  const fingerprint = () => {
    if (podKeys) return podKeys;
    podKeys = [];
    // Which classes each workload's pods fall in, in order, and which hold several variants.
    let at = 0;
    for (const w of cluster.workloads) {
      const count = w.pods.filter((p) => !p.hostNetwork).length;
      if (count === 0) continue;
      const mine = sequence.slice(at, (at += count));
      podKeys.push(`${w.id}\u0002${mine.join(',')}\u0002${(multiVariantClasses.get(w.id) ?? []).join(',')}`);
    }
    // Class indices only mean the same thing if the classes do: their keys close the fingerprint.
    for (const c of classes)
      podKeys.push(`\u0003${classKey(c.namespace, c.labels, relevantKeys, c.namedPorts, c.extra)}`);
    return podKeys;
  };
  return { classes, classesOfWorkload, multiVariantClasses, podKeys: fingerprint };
}

/** Every pod label key a policy's selectors look at (NetworkPolicy and the admin tiers) (namespace selectors see namespaces, not pods). */
export function relevantPodLabelKeys(cluster: Cluster): string[] {
  const keys = new Set<string>();
  for (const p of cluster.policies) {
    for (const k of p.podSelector.keys()) keys.add(k);
    for (const rule of [...p.ingress, ...p.egress]) {
      if (rule.peers === 'all') continue;
      for (const peer of rule.peers) if (peer.kind === 'pods') for (const k of peer.podSelector.keys()) keys.add(k);
    }
  }
  // Admin subjects and peers are selectors like any other.
  for (const p of cluster.adminPolicies) {
    for (const k of p.subject.podSelector.keys()) keys.add(k);
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) if (peer.kind === 'pods') for (const k of peer.podSelector.keys()) keys.add(k);
    }
  }
  return [...keys].sort();
}
