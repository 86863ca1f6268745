/**
 * What the exposure figures add to a snapshot (worker/snapshot/store-snapshot.ts computes them
 * on every changed snapshot, for metrics): exposureCounts against the compute it follows.
 *   node --expose-gc --import tsx bench/exposure-counts.ts SCENARIO [RUNS]
 */
import { buildCluster, computeReachability, exposureCounts } from '../engine/index.js';
import { collectGarbage, median, timed } from './measure.js';
import { asRawObjects, scenarioBodies } from './scenario-input.js';

const [name = 'medium', runsArg = '3'] = process.argv.slice(2);
const objects = asRawObjects(scenarioBodies(name));
const reach = computeReachability(buildCluster(objects));
const computeMs: number[] = [];
const countMs: number[] = [];
const countCpuMs: number[] = [];
let counts;
for (let r = 0; r < Number(runsArg); r++) {
  collectGarbage();
  computeMs.push(timed(() => computeReachability(buildCluster(objects))).ms);
  collectGarbage();
  const t = timed(() => exposureCounts(reach));
  countMs.push(t.ms);
  countCpuMs.push(t.cpuMs);
  counts = t.value;
}
console.log(
  `${name}: compute ${median(computeMs).toFixed(0)} ms, exposureCounts ${median(countMs).toFixed(0)} ms ` +
    `(CPU ${median(countCpuMs).toFixed(0)} ms) ×${runsArg}: ${JSON.stringify(counts)}`,
);
