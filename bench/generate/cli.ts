/**
 * Writes a scenario's cluster as a `kubectl get -o json` List:
 *   npx tsx bench/generate/cli.ts SCENARIO OUT.json
 */
import { generateCluster } from './cluster.js';
import { SCENARIOS, isScenario } from './scenarios.js';
import { writeList } from './write-list.js';

const [name, out] = process.argv.slice(2);
if (!name || !out || !isScenario(name)) {
  console.error(
    `usage: npx tsx bench/generate/cli.ts SCENARIO OUT.json\nscenarios: ${Object.keys(SCENARIOS).join(', ')}`,
  );
  process.exit(2);
}
const started = performance.now();
const count = await writeList(generateCluster(SCENARIOS[name]), out);
console.error(`${name}: ${count} objects → ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
