/**
 * One big-change measurement, in a process of its own (its peak RSS is the measurement's):
 *   node --import tsx bench/history/big-change-one.ts PODS
 * Stores a generated cluster of PODS pods with storeSnapshot into a fresh database, then a
 * different generated cluster of the same shape (another seed: every namespace, workload and
 * policy differs) as the next snapshot of the same cluster, the case where exposure events are
 * most numerous. Prints one `RESULT {...}` line.
 */
import type { RawObject } from '../../engine/index.js';
import { storeSnapshot } from '../../worker/snapshot/store-snapshot.js';
import { generateCluster } from '../generate/cluster.js';
import type { ClusterParams } from '../generate/params.js';
import { BenchDatabase } from './bench-database.js';
import { asCollected, byResource } from './collected-objects.js';
import { RESULT_PREFIX } from './ingest-result.js';
import type { BigChangeResult } from './big-change-result.js';

const maxRss = () => process.resourceUsage().maxRSS * 1024;

/** The medium and large scenarios' proportions (one namespace per 30 pods, one policy per 15). */
function shape(pods: number, seed: number): ClusterParams {
  return {
    seed,
    pods,
    namespaces: Math.max(2, Math.round(pods / 30)),
    policies: Math.round(pods / 15),
    uniqueLabels: false,
    dense: false,
  };
}

function objects(params: ClusterParams): RawObject[] {
  return asCollected(byResource(generateCluster(params)));
}

const pods = Number(process.argv[2]);
if (!Number.isInteger(pods) || pods <= 0) {
  console.error('usage: node --import tsx bench/history/big-change-one.ts PODS');
  process.exit(2);
}
const db = await BenchDatabase.create(`big_change_${pods}`);
try {
  let input = objects(shape(pods, 20240501));
  console.error(`${pods} pods: storing the first cluster (${input.length} objects)`);
  let t0 = performance.now();
  const first = await storeSnapshot(db.pool, db.clusterId, input, { acceptedByApiServer: true });
  const firstStoreMs = performance.now() - t0;
  const rssAfterFirstBytes = maxRss();

  input = objects(shape(pods, 20261202));
  console.error(`${pods} pods: stored in ${(firstStoreMs / 1000).toFixed(1)} s; storing a different one`);
  t0 = performance.now();
  const second = await storeSnapshot(db.pool, db.clusterId, input, { acceptedByApiServer: true });
  const secondStoreMs = performance.now() - t0;
  const result: BigChangeResult = {
    pods,
    first: first.counts,
    second: second.counts,
    firstStoreMs,
    secondStoreMs,
    rssAfterFirstBytes,
    peakRssBytes: maxRss(),
    tables: await db.tableSizes(false),
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} finally {
  await db.close();
}
