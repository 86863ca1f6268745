/**
 * One scenario in a process of its own, so its peak RSS is its own:
 *   node --expose-gc --import tsx bench/compute-one.ts SCENARIO [RUNS]
 * Times buildCluster + computeReachability from already-parsed objects (median of RUNS), then
 * enumerates every connection once, and reports a Measurement line on stdout.
 */
import { buildCluster, computeReachability, type Reachability } from '../engine/index.js';
import { scenario } from './generate/scenarios.js';
import { stealDuring } from './machine-steal.js';
import { collectGarbage, median, peakRssBytes, timed } from './measure.js';
import { reportMeasurement } from './measurement.js';
import { asRawObjects, scenarioBodies } from './scenario-input.js';

/** The engine may or may not expose its class count; the table leaves the cell empty if not. */
function classCountOf(reach: Reachability): number | undefined {
  const count = (reach as unknown as { classCount?: unknown }).classCount;
  return typeof count === 'number' ? count : undefined;
}

const [name = '', runsArg = '3'] = process.argv.slice(2);
const params = scenario(name);
const runs = Number(runsArg);

const generated = timed(() => asRawObjects(scenarioBodies(name)));
const objects = generated.value;
console.error(`${name}: generated ${objects.length} objects in ${(generated.ms / 1000).toFixed(1)} s`);
collectGarbage();
const inputRssBytes = peakRssBytes();

const totals: number[] = [];
const cpus: number[] = [];
const builds: number[] = [];
let reach: Reachability | undefined;
const { stealPercent } = stealDuring(() => {
  for (let r = 0; r < runs; r++) {
    reach = undefined; // let the previous run's result go before timing the next
    collectGarbage();
    const build = timed(() => buildCluster(objects));
    const compute = timed(() => computeReachability(build.value));
    reach = compute.value;
    builds.push(build.ms);
    totals.push(build.ms + compute.ms);
    cpus.push(build.cpuMs + compute.cpuMs);
    console.error(
      `${name}: run ${r + 1}/${runs}: ${(build.ms + compute.ms).toFixed(0)} ms (buildCluster ${build.ms.toFixed(0)} ms)`,
    );
  }
});
const computePeak = peakRssBytes();

/** Enumeration can be output-sized and then some: stop at a budget and report a lower bound. */
const CONNLIST_BUDGET_MS = Number(process.env.BENCH_CONNLIST_BUDGET_MS ?? 120_000);
const connlist = timed(() => {
  const started = performance.now();
  let count = 0;
  for (const _ of reach!.connections()) {
    if (++count % 4096 === 0 && performance.now() - started > CONNLIST_BUDGET_MS) return { count, complete: false };
  }
  return { count, complete: true };
});
console.error(
  `${name}: ${connlist.value.count} connections enumerated in ${connlist.ms.toFixed(0)} ms (CPU ${connlist.cpuMs.toFixed(0)} ms)`,
);

const notes: string[] = [];
if (!connlist.value.complete) {
  notes.push(
    `connlist stopped after ${(CONNLIST_BUDGET_MS / 1000).toFixed(0)} s with ${connlist.value.count} connections listed`,
  );
}
const { errors } = reach!.cluster;
if (errors.length > 0) notes.push(`${errors.length} objects rejected, e.g. ${errors[0]!.message}`);
if (reach!.warnings.length > 0) notes.push(`${reach!.warnings.length} warnings`);
const connlistPeak = peakRssBytes();
if (connlistPeak > computePeak * 1.05)
  notes.push(`peak RSS during connlist ${(connlistPeak / 2 ** 20).toFixed(0)} MiB`);

reportMeasurement({
  name,
  pods: params.pods,
  namespaces: params.namespaces,
  policies: params.policies,
  classes: classCountOf(reach!),
  runs,
  ms: median(totals),
  cpuMs: median(cpus),
  buildMs: median(builds),
  stealPercent,
  peakRssBytes: computePeak,
  inputRssBytes,
  connlistMs: connlist.ms,
  connlistCpuMs: connlist.cpuMs,
  connections: connlist.value.count,
  connlistComplete: connlist.value.complete,
  notes,
});
