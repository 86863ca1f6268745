import { adminPolicies } from './admin-policies.js';
import { GenContext } from './context.js';
import { densePolicies } from './dense-policies.js';
import { fillNamespace, shares } from './layout.js';
import { appNamespaces, namespaceObject, namespacePlan } from './namespaces.js';
import type { Body, ClusterParams } from './params.js';
import { namespacePolicies } from './policies.js';
import type { PolicySite } from './policy-kinds.js';
import { Prng } from './prng.js';
import { serviceObject } from './services.js';
import { SYSTEM_PODS, SYSTEM_WORKLOADS } from './system.js';
import { workloadObjects, type WorkloadPlan } from './workloads.js';

function* workloadWithService(plan: WorkloadPlan, ctx: GenContext): Generator<Body> {
  yield* workloadObjects(plan, ctx);
  const service = serviceObject(plan, ctx);
  if (service) yield service;
}

/** Namespaces, then workloads (controllers before their pods), then policies: the order of `kubectl get`. */
function* spreadCluster(params: ClusterParams, ctx: GenContext): Generator<Body> {
  // System namespaces only when there is room for them besides at least one application namespace.
  const system = params.namespaces > SYSTEM_WORKLOADS.length && params.pods > SYSTEM_PODS ? SYSTEM_WORKLOADS : [];
  const namespaces = appNamespaces(params.namespaces - system.length, ctx);
  for (const s of system) yield namespaceObject(s.namespace, ctx);
  for (const ns of namespaces) yield namespaceObject(ns, ctx);

  for (const s of system) {
    yield* workloadWithService(
      { namespace: s.namespace, name: s.app.app, spec: s.app, replicas: s.replicas, version: 'v1' },
      ctx,
    );
  }
  const podShares = shares(params.pods - (system.length ? SYSTEM_PODS : 0), namespaces.length);
  const sites: PolicySite[] = [];
  for (const [i, namespace] of namespaces.entries()) {
    const workloads = fillNamespace(namespace, podShares[i]!, ctx.rng);
    for (const w of workloads) yield* workloadWithService(w, ctx);
    sites.push({ namespace, workloads, rng: ctx.rng });
  }

  const policyShares = shares(params.policies, sites.length);
  for (const [i, site] of sites.entries()) yield* namespacePolicies(site, policyShares[i]!, ctx);
  if (params.admin) yield* adminPolicies(params.admin, namespaces, ctx);
}

function* denseCluster(params: ClusterParams, ctx: GenContext): Generator<Body> {
  if (params.namespaces !== 1) throw new Error('dense mode has exactly one namespace');
  const namespace = namespacePlan('dense', 'platform', 'prod');
  yield namespaceObject(namespace, ctx);
  const workloads = fillNamespace(namespace, params.pods, ctx.rng);
  for (const w of workloads) yield* workloadWithService(w, ctx);
  yield* densePolicies(namespace, workloads, params.policies, ctx);
  if (params.admin) yield* adminPolicies(params.admin, [namespace], ctx);
}

/** The cluster's objects, one at a time (so a file can be written without holding them all). */
export function generateCluster(params: ClusterParams): Generator<Body> {
  const ctx = new GenContext(new Prng(params.seed), params.uniqueLabels);
  return params.dense ? denseCluster(params, ctx) : spreadCluster(params, ctx);
}
