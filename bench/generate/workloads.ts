import type { GenContext } from './context.js';
import type { NamespacePlan } from './namespaces.js';
import type { Body, Labels } from './params.js';
import { NAME_SUFFIX_ALPHABET, type AppSpec } from './vocabulary.js';

export interface WorkloadPlan {
  namespace: NamespacePlan;
  /** The controller's name, also its `app` label value. */
  name: string;
  spec: AppSpec;
  replicas: number;
  version: string;
}

/** Labels of the pod template: what selectors see (plus per-pod labels added below). */
export function templateLabels(plan: WorkloadPlan): Labels {
  return {
    app: plan.name,
    tier: plan.spec.tier,
    team: plan.namespace.team,
    version: plan.version,
    ...plan.spec.labels,
  };
}

/** A fresh PodSpec per object: parsed JSON never shares subtrees, so neither do we. */
function podSpec(spec: AppSpec, nodeName?: string): Body {
  return {
    containers: [
      {
        name: spec.app,
        image: spec.image,
        ports: spec.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })),
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      },
    ],
    restartPolicy: 'Always',
    serviceAccountName: 'default',
    ...(nodeName ? { nodeName } : {}),
  };
}

function ownerRef(kind: string, owner: Body): Body {
  const meta = owner.metadata as { name: string; uid: string };
  return { apiVersion: 'apps/v1', kind, name: meta.name, uid: meta.uid, controller: true, blockOwnerDeletion: true };
}

function pod(name: string, labels: Labels, owner: Body, ownerKind: string, plan: WorkloadPlan, ctx: GenContext): Body {
  const ip = ctx.podIps.next();
  const node = ctx.node();
  // A label value on every pod that no selector reads (the unique-labels scenario).
  const unique: Labels = ctx.uniqueLabels ? { 'pod-uid': ctx.rng.chars('0123456789abcdef', 12) } : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: ctx.meta(
      name,
      plan.namespace.name,
      { ...labels, ...unique },
      { ownerReferences: [ownerRef(ownerKind, owner)] },
    ),
    spec: podSpec(plan.spec, node.name),
    status: {
      phase: 'Running',
      hostIP: node.ip,
      podIP: ip,
      podIPs: [{ ip }],
      startTime: ctx.timestamp(),
      qosClass: 'Burstable',
    },
  };
}

/** Deployment → ReplicaSet → Pods, linked by ownerReferences and `pod-template-hash` as the controllers do it. */
function deploymentObjects(plan: WorkloadPlan, ctx: GenContext): Body[] {
  const ns = plan.namespace.name;
  const labels = templateLabels(plan);
  const selector = { matchLabels: { app: plan.name } };
  const deployment: Body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ctx.meta(plan.name, ns, { app: plan.name }),
    spec: { replicas: plan.replicas, selector, template: { metadata: { labels }, spec: podSpec(plan.spec) } },
    status: { replicas: plan.replicas, readyReplicas: plan.replicas },
  };
  const hash = ctx.rng.chars(NAME_SUFFIX_ALPHABET, 10);
  const podLabels = { ...labels, 'pod-template-hash': hash };
  const replicaSet: Body = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: ctx.meta(`${plan.name}-${hash}`, ns, podLabels, {
      ownerReferences: [ownerRef('Deployment', deployment)],
    }),
    spec: {
      replicas: plan.replicas,
      selector: { matchLabels: { app: plan.name, 'pod-template-hash': hash } },
      template: { metadata: { labels: podLabels }, spec: podSpec(plan.spec) },
    },
    status: { replicas: plan.replicas, readyReplicas: plan.replicas },
  };
  const pods: Body[] = [];
  for (let i = 0; i < plan.replicas; i++) {
    const name = `${plan.name}-${hash}-${ctx.rng.chars(NAME_SUFFIX_ALPHABET, 5)}`;
    pods.push(pod(name, podLabels, replicaSet, 'ReplicaSet', plan, ctx));
  }
  return [deployment, replicaSet, ...pods];
}

/** StatefulSet → Pods `<name>-<ordinal>`, each with its own `statefulset.kubernetes.io/pod-name`. */
function statefulSetObjects(plan: WorkloadPlan, ctx: GenContext): Body[] {
  const ns = plan.namespace.name;
  const labels = templateLabels(plan);
  const statefulSet: Body = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: ctx.meta(plan.name, ns, { app: plan.name }),
    spec: {
      replicas: plan.replicas,
      serviceName: plan.name,
      selector: { matchLabels: { app: plan.name } },
      template: { metadata: { labels }, spec: podSpec(plan.spec) },
    },
    status: { replicas: plan.replicas, readyReplicas: plan.replicas },
  };
  const revision = `${plan.name}-${ctx.rng.chars(NAME_SUFFIX_ALPHABET, 10)}`;
  const pods: Body[] = [];
  for (let i = 0; i < plan.replicas; i++) {
    const name = `${plan.name}-${i}`;
    const podLabels = { ...labels, 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': name };
    pods.push(pod(name, podLabels, statefulSet, 'StatefulSet', plan, ctx));
  }
  return [statefulSet, ...pods];
}

export function workloadObjects(plan: WorkloadPlan, ctx: GenContext): Body[] {
  return plan.spec.controller === 'Deployment' ? deploymentObjects(plan, ctx) : statefulSetObjects(plan, ctx);
}
