/**
 * The fake Kubernetes API serving a generated scenario, in a process of its own so that the
 * collector's process measures only collecting and storing:
 *   node --import tsx bench/history/fake-api-server.ts SCENARIO
 * Prints one `READY {"url","token","counts"}` line when listening; exits when stdin closes.
 */
import { FakeKubeApi } from '../../test/support/fake-kube-api/fake-kube-api.js';
import type { FakeResource } from '../../test/support/fake-kube-api/served-resources.js';
import { generateCluster } from '../generate/cluster.js';
import { scenario } from '../generate/scenarios.js';
import { byResource } from './collected-objects.js';
import { READY_PREFIX } from './served-cluster.js';

const name = process.argv[2];
if (!name) {
  console.error('usage: node --import tsx bench/history/fake-api-server.ts SCENARIO');
  process.exit(2);
}
const lists = byResource(generateCluster(scenario(name)));
const fake = await FakeKubeApi.start();
const counts: Record<string, number> = {};
for (const [plural, items] of lists) {
  // The collector's plurals; the fake serves each (it answers 404 for one it does not know).
  fake.setObjects(plural as FakeResource, items);
  counts[plural] = items.length;
}
process.stdout.write(`${READY_PREFIX}${JSON.stringify({ url: fake.url, token: fake.token, counts })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
