/**
 * The "one edit" case: the medium cluster, one policy gains a port, and the engine recomputes
 * with the previous result and diffs the two.
 *   node --expose-gc --import tsx bench/one-edit.ts [RUNS]
 *
 * The headline time is what a watcher holding the previous Cluster does: normalize the one
 * changed object (buildCluster on it alone), swap it into the Cluster, computeReachability
 * with `previous`, drain diffReachability. Rebuilding the Cluster from every object instead
 * is reported in the notes, as is a computation from scratch.
 */
import {
  diffConnections,
  diffReachability,
  buildCluster,
  computeReachability,
  type Cluster,
  type Reachability,
  type RawObject,
} from '../engine/index.js';
import { scenario } from './generate/scenarios.js';
import { collectGarbage, median, peakRssBytes, timed } from './measure.js';
import { stealDuring } from './machine-steal.js';
import { reportMeasurement } from './measurement.js';
import { addPortToAllowRule } from './policy-edit.js';
import { asRawObjects, scenarioBodies } from './scenario-input.js';

const SCENARIO = 'medium';
const runs = Number(process.argv[2] ?? '7');
const params = scenario(SCENARIO);

const bodies = scenarioBodies(SCENARIO);
const edit = addPortToAllowRule(bodies);
const objects = asRawObjects(bodies);
const editedObjects: RawObject[] = objects.map((o, i) => (i === edit.index ? { ...o, body: edit.after } : o));

function count(items: Iterable<unknown>): number {
  let n = 0;
  for (const _ of items) n++;
  return n;
}

/** The Cluster with one policy replaced by its edited version, normalized on its own. */
function patched(cluster: Cluster): Cluster {
  const [policy] = buildCluster([editedObjects[edit.index]!]).policies;
  if (!policy) throw new Error('the edited policy did not normalize');
  const i = cluster.policies.findIndex((p) => p.namespace === policy.namespace && p.name === policy.name);
  return { ...cluster, policies: cluster.policies.map((p, j) => (j === i ? policy : p)) };
}

/** A fresh previous result per run: computeReachability may keep caches in it that a repeat would hit. */
function previous(): { cluster: Cluster; reach: Reachability } {
  collectGarbage();
  const cluster = buildCluster(objects);
  return { cluster, reach: computeReachability(cluster) };
}

const patchRuns: number[] = [];
const recomputeRuns: number[] = [];
const diffRuns: number[] = [];
const cpuRuns: number[] = [];
const rebuildRuns: number[] = [];
let changes = 0;
let shared = false;
const { stealPercent } = stealDuring(() => {
  for (let r = 0; r < runs; r++) {
    const prev = previous();
    const patch = timed(() => patched(prev.cluster));
    const next = timed(() => computeReachability(patch.value, {}, prev.reach));
    const diff = timed(() => count(diffReachability(prev.reach, next.value)));
    patchRuns.push(patch.ms);
    recomputeRuns.push(next.ms);
    diffRuns.push(diff.ms);
    cpuRuns.push(patch.cpuMs + next.cpuMs + diff.cpuMs);
    changes = diff.value;
    shared = next.value.sharesClassesWith(prev.reach);

    const prev2 = previous();
    const rebuild = timed(() =>
      count(diffReachability(prev2.reach, computeReachability(buildCluster(editedObjects), {}, prev2.reach))),
    );
    rebuildRuns.push(rebuild.ms);
    const total = patch.ms + next.ms + diff.ms;
    console.error(
      `one-edit: run ${r + 1}/${runs}: ${total.toFixed(1)} ms (rebuilding the Cluster: ${rebuild.ms.toFixed(0)} ms)`,
    );
  }
});

// Untimed checks: the fast diff must agree with a merge-join of the full connection lists.
const prev = previous();
const next = computeReachability(buildCluster(editedObjects), {}, prev.reach);
const expected = count(diffConnections(prev.reach.connections(), next.connections()));
const scratch = median([0, 1, 2].map(() => timed(() => computeReachability(buildCluster(editedObjects))).ms));

const ms = median(patchRuns) + median(recomputeRuns) + median(diffRuns);
const fmt = (x: number) => `${x.toFixed(1)} ms`;
reportMeasurement({
  name: 'one-edit',
  pods: params.pods,
  namespaces: params.namespaces,
  policies: params.policies,
  runs,
  ms,
  cpuMs: median(cpuRuns),
  stealPercent,
  peakRssBytes: peakRssBytes(),
  connections: changes,
  notes: [
    edit.description,
    `patch ${fmt(median(patchRuns))} + recompute ${fmt(median(recomputeRuns))} + diff ${fmt(median(diffRuns))}`,
    `pod classes reused: ${shared ? 'yes' : 'no'}`,
    `${changes} changed pairs${changes === expected ? ', as a full merge-join says' : `, but a full merge-join finds ${expected}`}`,
    `rebuilding the Cluster from all objects instead: ${fmt(median(rebuildRuns))}`,
    `from scratch (no previous): ${fmt(scratch)}`,
  ],
  ...(changes === expected ? {} : { error: `diff found ${changes} changes, merge-join ${expected}` }),
});
