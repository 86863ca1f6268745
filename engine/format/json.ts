import { mergeOutsideRows } from './outside-rows.js';
import type { Reachability } from '../reach/reachability.js';
import type { ConnectionSet } from '../sets/connection-set.js';
import { chunkLines } from './chunks.js';
import { selectConnections, type FormatOptions } from './options.js';
import { workloadVariants } from './workload-variants.js';

/** Lines of an array, commas between items: one item is held back to know whether another follows. */
function* arrayItems(items: Iterable<string>): Generator<string> {
  let previous: string | undefined;
  for (const item of items) {
    if (previous !== undefined) yield `${previous},`;
    previous = item;
  }
  if (previous !== undefined) yield previous;
}

function* connectionObjects(reach: Reachability, options: FormatOptions): Generator<string> {
  // The engine hands one ConnectionSet to every peer of a group: render each set once.
  const rendered = new WeakMap<ConnectionSet, string>();
  for (const c of mergeOutsideRows(selectConnections(reach, options))) {
    let allowed = rendered.get(c.allowed);
    if (allowed === undefined) rendered.set(c.allowed, (allowed = JSON.stringify(c.allowed.toRanges())));
    yield `{"src":${JSON.stringify(c.src)},"dst":${JSON.stringify(c.dst)},"allowed":${allowed}}`;
  }
}

function* variedWorkloads(reach: Reachability): Generator<string> {
  for (const w of reach.cluster.workloads) {
    const v = workloadVariants(w);
    if (v) yield JSON.stringify(v);
  }
}

/**
 * `{"connections": [...], "summary", "warnings", "errors", "skippedKinds", "workloads"}`,
 * one connection per line so the array streams; the rest is small (linear in workloads).
 */
function* jsonLines(reach: Reachability, options: FormatOptions): Generator<string> {
  const { cluster } = reach;
  yield '{"connections": [';
  yield* arrayItems(connectionObjects(reach, options));
  yield '],';
  yield `"summary": ${JSON.stringify(reach.summary())},`;
  yield `"warnings": ${JSON.stringify(reach.warnings.map((w) => w.message))},`;
  yield `"errors": ${JSON.stringify(cluster.errors.map((e) => e.message))},`;
  const skipped = [...cluster.skippedKinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  yield `"skippedKinds": ${JSON.stringify(Object.fromEntries(skipped))},`;
  yield '"workloads": [';
  yield* arrayItems(variedWorkloads(reach));
  yield ']}';
}

export function formatJson(reach: Reachability, options: FormatOptions = {}): Generator<string> {
  return chunkLines(jsonLines(reach, options));
}
