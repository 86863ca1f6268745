import type { RawObject } from '../../engine/index.js';
import { CORE_RESOURCES } from '../../worker/collect/kube-resources.js';
import type { Body } from '../generate/params.js';

/**
 * The kinds collectCluster lists on every cluster, by plural, in its order: taken from the
 * collector itself, so the benchmark stores what the worker would. (No Deployments or
 * StatefulSets: a pod's workload is named by what the listed objects' ownerReferences show.)
 */
export const COLLECTED_KINDS: ReadonlyMap<string, string> = new Map(CORE_RESOURCES.map((r) => [r.plural, r.kind]));

/** Generated bodies split by the list they are served from; kinds the collector does not list are dropped. */
export function byResource(
  bodies: Iterable<Body>,
  kinds: ReadonlyMap<string, string> = COLLECTED_KINDS,
): Map<string, Body[]> {
  const pluralOf = new Map([...kinds].map(([plural, kind]) => [kind, plural]));
  const lists = new Map<string, Body[]>([...kinds.keys()].map((p) => [p, []]));
  for (const body of bodies) {
    const plural = pluralOf.get(body.kind as string);
    if (plural) lists.get(plural)!.push(body);
  }
  return lists;
}

/** Objects shaped as collectCluster delivers them: `source.file` names the list, `doc` counts from 1 per list. */
export function asCollected(lists: ReadonlyMap<string, readonly Body[]>, cluster = 'fake'): RawObject[] {
  const out: RawObject[] = [];
  for (const [plural, bodies] of lists) {
    bodies.forEach((body, i) => out.push({ source: { file: `kube:${cluster}/${plural}`, doc: i + 1 }, body }));
  }
  return out;
}
