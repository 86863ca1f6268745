import type { RawObject } from '../engine/index.js';
import { generateCluster } from './generate/cluster.js';
import type { Body } from './generate/params.js';
import { scenario } from './generate/scenarios.js';

/** Objects as they stand after parsing a file: what buildCluster takes, with a source per object. */
export function asRawObjects(bodies: readonly Body[], file = '<bench>'): RawObject[] {
  return bodies.map((body, i) => ({ source: { file, doc: 1, item: i + 1 }, body }));
}

export function scenarioBodies(name: string): Body[] {
  return [...generateCluster(scenario(name))];
}
