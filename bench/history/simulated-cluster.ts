import type { RawObject } from '../../engine/index.js';
import { GenContext } from '../generate/context.js';
import { generateCluster } from '../generate/cluster.js';
import { namespacePlan, type NamespacePlan } from '../generate/namespaces.js';
import type { Body, ClusterParams, Labels } from '../generate/params.js';
import { policyObject } from '../generate/policies.js';
import { Prng } from '../generate/prng.js';
import { serviceObject } from '../generate/services.js';
import { APPS, NAME_SUFFIX_ALPHABET, VERSIONS } from '../generate/vocabulary.js';
import { workloadObjects } from '../generate/workloads.js';
import { asCollected, byResource } from './collected-objects.js';

type Meta = {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Labels;
  ownerReferences?: { kind: string; name: string; uid?: string }[];
};

const metaOf = (body: Body) => body.metadata as Meta;

/** The Deployment controller keeps this many old ReplicaSets, scaled to zero (revisionHistoryLimit's default). */
const REVISION_HISTORY_LIMIT = 10;

/** A Deployment or StatefulSet and the live objects that belong to it. */
interface SimWorkload {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  name: string;
  pods: Body[];
  /** A Deployment's ReplicaSets, oldest first; the last one owns the pods. */
  replicaSets: Body[];
}

/**
 * A generated cluster that changes in place between snapshots, as a real one does between two
 * collections: pods replaced by rollouts, policies edited, workloads added. `objects()` gives
 * what collectCluster would deliver at that moment: the lists of `kinds` (plural → kind).
 */
export class SimulatedCluster {
  private readonly lists: Map<string, Body[]>;
  private readonly pluralOf: Map<string, string>;
  private readonly workloads: SimWorkload[] = [];
  private readonly namespaces: NamespacePlan[] = [];
  private readonly ctx: GenContext;
  private readonly rng: Prng;
  /** Pod addresses after the generator's: 10.128.0.0/9 (8M addresses, years of rollouts). */
  private nextIp = (10 << 24) | (128 << 16);
  private resourceVersion = 10_000_000;
  private added = 0;
  private cached: RawObject[] | undefined;

  constructor(params: ClusterParams, kinds: ReadonlyMap<string, string>) {
    const bodies = [...generateCluster(params)];
    this.lists = byResource(bodies, kinds);
    this.pluralOf = new Map([...kinds].map(([plural, kind]) => [kind, plural]));
    this.rng = new Prng(params.seed ^ 0x5eed);
    this.ctx = new GenContext(new Prng(params.seed ^ 0xadd), false);
    this.indexWorkloads(bodies);
    for (const ns of this.list('namespaces')) {
      const { name, labels = {} } = metaOf(ns);
      // Application namespaces only (the generator's system ones carry no env of their own choosing).
      if (labels.team && labels.env && !['kube-system', 'monitoring', 'ingress-nginx'].includes(name)) {
        this.namespaces.push(namespacePlan(name, labels.team, labels.env));
      }
    }
  }

  get workloadCount(): number {
    return this.workloads.length;
  }

  get podCount(): number {
    return this.list('pods').length;
  }

  get policyCount(): number {
    return this.list('networkpolicies').length;
  }

  /** Objects per listed kind, e.g. `{ Pod: 10000, ReplicaSet: 2626, … }`. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.lists].map(([plural, items]) => [plural, items.length]));
  }

  /** The objects as listed now. Rebuilt only after a change: an unchanged cluster hands out the same array. */
  objects(): RawObject[] {
    this.cached ??= asCollected(this.lists);
    return this.cached;
  }

  policies(): Body[] {
    return this.list('networkpolicies');
  }

  /** Records an in-place edit of `body` (a policy), as the API server does: new resourceVersion and generation. */
  touched(body: Body): void {
    const meta = metaOf(body);
    meta.resourceVersion = String(this.resourceVersion++);
    if (meta.generation !== undefined) meta.generation++;
    this.cached = undefined;
  }

  /**
   * Rolls out `fraction` of the workloads, picked at random. A Deployment gets a new ReplicaSet
   * (new pod-template-hash; the old one stays, scaled to zero) whose pods have new names, uids
   * and addresses; a StatefulSet keeps its pod names and gets new uids, addresses and
   * controller-revision-hash. Templates are otherwise unchanged (an image bump). Returns the
   * number of workloads rolled.
   */
  rollout(fraction: number): number {
    const count = Math.round(this.workloads.length * fraction);
    const picked = new Set<number>();
    while (picked.size < count) picked.add(this.rng.int(this.workloads.length));
    for (const i of picked) {
      const w = this.workloads[i]!;
      if (w.kind === 'Deployment') this.rollDeployment(w);
      else this.rollStatefulSet(w);
    }
    this.cached = undefined;
    return count;
  }

  /**
   * A new Deployment (its ReplicaSet and pods) in an application namespace, under a name no
   * other workload there has; with a Service when it has ports, and half the time a policy
   * that lets the namespace's frontend in.
   */
  addWorkload(): string {
    const namespace = this.rng.pick(this.namespaces);
    const spec = this.rng.pick(APPS.filter((a) => a.controller === 'Deployment' && a.ports.length > 0));
    const name = `${spec.app}-new-${++this.added}`;
    const plan = { namespace, name, spec, replicas: this.rng.between(1, 5), version: this.rng.pick(VERSIONS) };
    const workload: SimWorkload = { kind: 'Deployment', namespace: namespace.name, name, pods: [], replicaSets: [] };
    for (const body of workloadObjects(plan, this.ctx)) {
      if (body.kind === 'Pod') {
        this.readdress(body);
        workload.pods.push(body);
      } else if (body.kind === 'ReplicaSet') workload.replicaSets.push(body);
      this.listed(body)?.push(body);
    }
    this.workloads.push(workload);
    const service = serviceObject(plan, this.ctx);
    if (service) this.list('services').push(service);
    if (this.rng.chance(0.5)) {
      const policy = policyObject(
        namespace.name,
        `allow-frontend-to-${name}`,
        {
          podSelector: { matchLabels: { app: name } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: { app: 'frontend' } } }],
              ports: [{ protocol: 'TCP', port: 'http' }],
            },
          ],
        },
        this.ctx,
      );
      this.list('networkpolicies').push(policy);
    }
    this.cached = undefined;
    return `${namespace.name}/${name}`;
  }

  private list(plural: string): Body[] {
    const items = this.lists.get(plural);
    if (!items) throw new Error(`the collector does not list ${plural}`);
    return items;
  }

  /** The list `body` is served in, if the collector lists its kind. */
  private listed(body: Body): Body[] | undefined {
    const plural = this.pluralOf.get(body.kind as string);
    return plural === undefined ? undefined : this.lists.get(plural);
  }

  private rollDeployment(w: SimWorkload): void {
    const hash = this.rng.chars(NAME_SUFFIX_ALPHABET, 10);
    const rsName = `${w.name}-${hash}`;
    const current = w.replicaSets.at(-1)!;
    const next = structuredClone(current);
    const meta = metaOf(next);
    meta.name = rsName;
    meta.uid = this.rng.uuid();
    meta.resourceVersion = String(this.resourceVersion++);
    meta.labels = { ...meta.labels, 'pod-template-hash': hash };
    const spec = next.spec as { selector: { matchLabels: Labels }; template: { metadata: { labels: Labels } } };
    spec.selector.matchLabels['pod-template-hash'] = hash;
    spec.template.metadata.labels = { ...spec.template.metadata.labels, 'pod-template-hash': hash };
    current.spec = { ...(current.spec as Body), replicas: 0 };
    current.status = { replicas: 0 };
    metaOf(current).resourceVersion = String(this.resourceVersion++);
    w.replicaSets.push(next);
    const rsList = this.listed(next);
    rsList?.push(next);
    if (w.replicaSets.length > REVISION_HISTORY_LIMIT + 1) {
      const oldest = w.replicaSets.shift()!;
      rsList?.splice(rsList.indexOf(oldest), 1);
    }
    for (const pod of w.pods) {
      const podMeta = metaOf(pod);
      podMeta.name = `${rsName}-${this.rng.chars(NAME_SUFFIX_ALPHABET, 5)}`;
      podMeta.labels = { ...podMeta.labels, 'pod-template-hash': hash };
      podMeta.ownerReferences = [{ ...podMeta.ownerReferences![0]!, name: rsName, uid: meta.uid }];
      this.repod(pod);
    }
  }

  private rollStatefulSet(w: SimWorkload): void {
    const revision = `${w.name}-${this.rng.chars(NAME_SUFFIX_ALPHABET, 10)}`;
    for (const pod of w.pods) {
      const meta = metaOf(pod);
      meta.labels = { ...meta.labels, 'controller-revision-hash': revision };
      this.repod(pod);
    }
  }

  /** What every replaced pod gets: a uid, a resourceVersion, an address. */
  private repod(pod: Body): void {
    const meta = metaOf(pod);
    meta.uid = this.rng.uuid();
    meta.resourceVersion = String(this.resourceVersion++);
    this.readdress(pod);
  }

  private readdress(pod: Body): void {
    const n = this.nextIp++;
    const ip = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
    const status = pod.status as { podIP: string; podIPs: { ip: string }[] };
    status.podIP = ip;
    status.podIPs = [{ ip }];
  }

  /** Pods grouped under their Deployment (through the ReplicaSet) or StatefulSet, from the generated ownerReferences. */
  private indexWorkloads(bodies: readonly Body[]): void {
    const byKey = new Map<string, SimWorkload>();
    const rsOwner = new Map<string, SimWorkload>();
    for (const body of bodies) {
      const meta = metaOf(body);
      const ns = meta.namespace!;
      if (body.kind === 'Deployment' || body.kind === 'StatefulSet') {
        const w: SimWorkload = { kind: body.kind, namespace: ns, name: meta.name, pods: [], replicaSets: [] };
        byKey.set(`${ns}/${body.kind}/${meta.name}`, w);
        this.workloads.push(w);
      } else if (body.kind === 'ReplicaSet') {
        const owner = byKey.get(`${ns}/Deployment/${meta.ownerReferences![0]!.name}`)!;
        owner.replicaSets.push(body);
        rsOwner.set(`${ns}/${meta.name}`, owner);
      } else if (body.kind === 'Pod') {
        const owner = meta.ownerReferences?.[0];
        const w =
          owner?.kind === 'ReplicaSet'
            ? rsOwner.get(`${ns}/${owner.name}`)
            : byKey.get(`${ns}/${owner?.kind}/${owner?.name}`);
        if (!w) throw new Error(`pod ${ns}/${meta.name} has no generated owner`);
        w.pods.push(body);
      }
    }
  }
}
