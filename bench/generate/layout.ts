import type { Prng } from './prng.js';
import type { NamespacePlan } from './namespaces.js';
import { APPS, VERSIONS } from './vocabulary.js';
import type { WorkloadPlan } from './workloads.js';

/** `total` split into `parts` near-equal whole shares (the first ones get the remainder). */
export function shares(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * Fills a namespace with exactly `pods` pods: the apps in vocabulary order (frontend and api
 * first, so most namespaces have the pair policies talk about), cycling with a numeric suffix
 * (`api-2`) when a namespace holds more workloads than the vocabulary has apps.
 */
export function fillNamespace(namespace: NamespacePlan, pods: number, rng: Prng): WorkloadPlan[] {
  const plans: WorkloadPlan[] = [];
  let left = pods;
  for (let k = 0; left > 0; k++) {
    const spec = APPS[k % APPS.length]!;
    const round = Math.floor(k / APPS.length);
    const wanted = spec.controller === 'Deployment' ? rng.between(1, 5) : rng.between(1, 3);
    const replicas = Math.min(wanted, left);
    left -= replicas;
    const name = round === 0 ? spec.app : `${spec.app}-${round + 1}`;
    plans.push({ namespace, name, spec, replicas, version: rng.pick(VERSIONS) });
  }
  return plans;
}
