/**
 * One ingest measurement, in a process of its own (its peak RSS is the measurement's):
 *   node --import tsx bench/history/ingest-one.ts SCENARIO
 * Lists the scenario from a fake API server (another process) with collectCluster, 500 per
 * page, into memory; stores it with storeSnapshot into a fresh database; then lists and stores
 * the same content again (the unchanged path). Prints one `RESULT {...}` line.
 */
import type { InputError, RawObject } from '../../engine/index.js';
import { collectCluster, type CollectSummary } from '../../worker/collect/kube-collector.js';
import { storeSnapshot, type SnapshotOutcome } from '../../worker/snapshot/store-snapshot.js';
import { BenchDatabase } from './bench-database.js';
import { RESULT_PREFIX, type IngestResult } from './ingest-result.js';
import { ServedCluster } from './served-cluster.js';

const PAGE_SIZE = 500;
const maxRss = () => process.resourceUsage().maxRSS * 1024;

/** Pages kept per resource, as collectSource does (a list restarted after 410 replaces its own). */
async function collect(
  served: ServedCluster,
): Promise<{ objects: RawObject[]; errors: InputError[]; summary: CollectSummary }> {
  const byResource = new Map<string, RawObject[][]>();
  const errors: InputError[] = [];
  const summary = await collectCluster(
    { kubeConfig: served.kubeConfig(), pageSize: PAGE_SIZE },
    {
      page(page) {
        const pages = byResource.get(page.resource.plural) ?? [];
        pages.push(page.objects);
        byResource.set(page.resource.plural, pages);
        errors.push(...page.errors);
      },
      discard(resource) {
        byResource.delete(resource.plural);
      },
    },
  );
  return { objects: [...byResource.values()].flat(2), errors, summary };
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await f();
  return [value, performance.now() - t0];
}

const name = process.argv[2];
if (!name) {
  console.error('usage: node --import tsx bench/history/ingest-one.ts SCENARIO');
  process.exit(2);
}
const served = await ServedCluster.start(name);
const db = await BenchDatabase.create(`ingest_${name}`);
try {
  console.error(`${name}: serving ${JSON.stringify(served.counts)}; listing`);
  let [collected, listMs] = await timed(() => collect(served));
  const rssAfterListBytes = maxRss();
  console.error(`${name}: listed ${collected.objects.length} objects in ${(listMs / 1000).toFixed(1)} s; storing`);
  let [outcome, storeMs]: [SnapshotOutcome, number] = await timed(() =>
    storeSnapshot(db.pool, db.clusterId, collected.objects, {
      readErrors: collected.errors,
      acceptedByApiServer: true,
    }),
  );
  const rssAfterStoreBytes = maxRss();
  const first = { collected: collected.summary, outcome, listMs, storeMs };
  const tables = await db.tableSizes();
  const databaseBytes = await db.databaseBytes();
  console.error(`${name}: stored in ${(storeMs / 1000).toFixed(1)} s; again (same content)`);

  collected = { objects: [], errors: [], summary: collected.summary }; // let the first listing go
  [collected, listMs] = await timed(() => collect(served));
  [outcome, storeMs] = await timed(() =>
    storeSnapshot(db.pool, db.clusterId, collected.objects, {
      readErrors: collected.errors,
      acceptedByApiServer: true,
    }),
  );
  const result: IngestResult = {
    scenario: name,
    counts: first.collected.counts,
    pages: first.collected.listed.reduce((n, l) => n + l.pages, 0),
    listMs: first.listMs,
    storeMs: first.storeMs,
    status: first.outcome.status,
    rssAfterListBytes,
    rssAfterStoreBytes,
    peakRssBytes: maxRss(),
    tables,
    databaseBytes,
    secondListMs: listMs,
    secondStoreMs: storeMs,
    secondStatus: outcome.status,
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} finally {
  await db.close();
  await served.stop();
}
