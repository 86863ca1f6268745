/**
 * A scenario scaled down, to see how its connection listing grows before running it whole:
 *   node --import tsx bench/connlist-scaled.ts SCENARIO FACTOR [BUDGET_MS]
 * Pods, namespaces and NetworkPolicies are divided by FACTOR; admin policies are kept.
 */
import { buildCluster, computeReachability } from '../engine/index.js';
import { generateCluster } from './generate/cluster.js';
import { scenario } from './generate/scenarios.js';
import { peakRssBytes, timed } from './measure.js';
import { asRawObjects } from './scenario-input.js';

const [name = '', factorArg = '10', budgetArg = '120000'] = process.argv.slice(2);
const factor = Number(factorArg);
const budgetMs = Number(budgetArg);
const base = scenario(name);
const params = {
  ...base,
  pods: Math.round(base.pods / factor),
  namespaces: Math.max(1, Math.round(base.namespaces / factor)),
  policies: Math.round(base.policies / factor),
};
const objects = asRawObjects([...generateCluster(params)]);
const compute = timed(() => computeReachability(buildCluster(objects)));
const reach = compute.value;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
console.log(
  `${name} ÷ ${factor}: ${params.pods} pods, computed in ${compute.ms.toFixed(0)} ms, peak RSS ${mib(peakRssBytes())}`,
);
const listing = timed(() => {
  const started = performance.now();
  let count = 0;
  for (const _ of reach.connections()) {
    if (++count % 4096 === 0 && performance.now() - started > budgetMs) return { count, complete: false };
  }
  return { count, complete: true };
});
console.log(
  `${listing.value.count} connections${listing.value.complete ? '' : ' (stopped at the budget)'} in ` +
    `${listing.ms.toFixed(0)} ms, CPU ${listing.cpuMs.toFixed(0)} ms, peak RSS ${mib(peakRssBytes())}`,
);
