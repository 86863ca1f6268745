import type { Workload } from '../model/cluster.js';
import type { ControllerFacts } from './controller.js';
import { ObjectIndex } from './object-index.js';
import { workloadId } from './owner.js';
import type { PodFacts } from './pod.js';

type Top = { kind: string; name: string };

const SHORT_CHAIN = 8;

/** The top of an owner chain, stopping at the first controller met twice (ownerReferences may loop). */
function topOfLongChain(byKey: ObjectIndex<ControllerFacts>, namespace: string, start: Top): Top {
  let current = start;
  const seen = new Set<ControllerFacts>();
  for (;;) {
    const controller = byKey.get(namespace, current.kind, current.name);
    if (!controller?.owner || seen.has(controller)) return current;
    seen.add(controller);
    current = controller.owner;
  }
}

/**
 * Groups pods by top owner (Pod → ReplicaSet → Deployment, Pod → Job → CronJob), following
 * ownerReferences as far as the input shows them. A controller with no live pod in the input
 * contributes its pod template instead.
 */
export function groupWorkloads(pods: PodFacts[], controllers: ControllerFacts[]): Workload[] {
  const byKey = new ObjectIndex<ControllerFacts>();
  for (const c of controllers) byKey.set(c.namespace, c.kind, c.name, c);

  // Many pods share an owner: remember each owner's top once.
  const tops = new ObjectIndex<Top>();
  const topOf = (namespace: string, start: Top): Top => {
    const known = tops.get(namespace, start.kind, start.name);
    if (known) return known;
    // Chains are short (Pod → ReplicaSet → Deployment): walked without remembering the way; a
    // longer one may be a cycle and is walked again, stopping where it comes back.
    let current = start;
    for (let hops = 0; ; hops++) {
      const owner = byKey.get(namespace, current.kind, current.name)?.owner;
      if (!owner) break;
      if (hops === SHORT_CHAIN) {
        current = topOfLongChain(byKey, namespace, start);
        break;
      }
      current = owner;
    }
    tops.set(namespace, start.kind, start.name, current);
    return current;
  };

  const workloads: Workload[] = [];
  const workloadIndex = new ObjectIndex<Workload>();
  const workloadFor = (namespace: string, top: Top): Workload => {
    let w = workloadIndex.get(namespace, top.kind, top.name);
    if (!w) {
      w = {
        id: workloadId(namespace, top.name, top.kind),
        namespace,
        name: top.name,
        kind: top.kind,
        pods: [],
        hostNetwork: false,
      };
      workloadIndex.set(namespace, top.kind, top.name, w);
      workloads.push(w);
    }
    return w;
  };

  // Pods of one owner follow each other in a listing: remember the last owner's workload.
  let lastOwner: { namespace: string; kind: string; name: string; workload: Workload } | undefined;
  for (const { pod, owner: o, finished } of pods) {
    if (finished) continue;
    let w: Workload;
    if (
      o &&
      lastOwner &&
      lastOwner.name === o.name &&
      lastOwner.kind === o.kind &&
      lastOwner.namespace === pod.namespace
    ) {
      w = lastOwner.workload;
    } else {
      w = workloadFor(pod.namespace, o ? topOf(pod.namespace, o) : { kind: 'Pod', name: pod.name });
      lastOwner = o ? { namespace: pod.namespace, kind: o.kind, name: o.name, workload: w } : undefined;
    }
    pod.workloadId = w.id;
    w.pods.push(pod);
  }

  // A workload without live pods stands for a template: its top controller's when the input
  // has it (a Deployment's, not its ReplicaSet's), else that of a controller below it.
  const standIns = new Map<Workload, ControllerFacts>();
  for (const c of controllers) {
    const top = topOf(c.namespace, { kind: c.kind, name: c.name });
    const w = workloadFor(c.namespace, top);
    if (w.pods.length > 0) continue;
    const isTop = c.kind === top.kind && c.name === top.name;
    if (isTop || !standIns.has(w)) standIns.set(w, c);
  }
  for (const [w, c] of standIns) {
    const { labels, namedPorts, hostNetwork } = c.template;
    w.pods.push({
      namespace: c.namespace,
      name: c.name,
      labels,
      namedPorts,
      ips: [],
      hostNetwork,
      workloadId: w.id,
      fromTemplate: true,
      source: c.source,
    });
  }

  // A workload is off the policy plane only when all its pods share the node's network.
  for (const w of workloads) w.hostNetwork = w.pods.every((p) => p.hostNetwork);
  return workloads.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
