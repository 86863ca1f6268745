import { Counter, Gauge, type Registry } from 'prom-client';
import type { ClusterFacts, CountName } from '../store/cluster-facts.repository.js';
import { cachedRead } from './cached-read.js';

/**
 * Per-cluster metrics, read from Postgres at scrape time (store/cluster-facts.repository.ts):
 * every replica of the API and the worker reports the same values, and none is lost at a
 * restart. The only label is `cluster` (its registered name), plus `kind` or `direction` from
 * short fixed lists: the number of series grows with clusters, never with workloads.
 *
 * When Postgres does not answer, `reachlog_store_up` is 0 and the per-cluster series are left out
 * rather than repeated from an older read: a stale "last success" would hide an outage.
 */

export interface ClusterMetricsOptions {
  /** Scrapes within this many ms share one query (default 5 s). */
  cacheMs?: number;
  /** How long the query may take (default 3 s). */
  timeoutMs?: number;
  /** Called when a read fails, once per distinct error (already worded; the caller redacts). */
  onError?: (message: string) => void;
}

/** `reachlog_cluster_objects{kind}`: the objects a snapshot read, by kind. */
const OBJECT_KINDS = ['namespaces', 'pods', 'services', 'policies', 'invalid'] as const satisfies readonly CountName[];

const seconds = (d: Date) => d.getTime() / 1000;

export function registerClusterMetrics(
  registry: Registry,
  readFacts: () => Promise<ClusterFacts[]>,
  options: ClusterMetricsOptions = {},
): void {
  let reported = '';
  const read = cachedRead(readFacts, { ttlMs: options.cacheMs ?? 5_000, timeoutMs: options.timeoutMs ?? 3_000 });
  const facts = async (): Promise<ClusterFacts[] | undefined> => {
    const outcome = await read();
    if (outcome.ok) {
      reported = '';
      return outcome.value;
    }
    if (outcome.error !== reported) options.onError?.(`metrics: cluster facts not read: ${outcome.error}`);
    reported = outcome.error;
    return undefined;
  };
  const registers = [registry];

  new Gauge({
    name: 'reachlog_store_up',
    help: 'Whether Postgres answered the per-cluster metrics query of this scrape (1) or not (0: the reachlog_cluster_* series are absent)',
    registers,
    async collect() {
      this.set((await facts()) ? 1 : 0);
    },
  });

  /** A gauge per cluster from one fact; a cluster without the fact has no series. */
  const perCluster = (name: string, help: string, value: (c: ClusterFacts) => number | null | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['cluster'],
      registers,
      async collect() {
        this.reset();
        for (const c of (await facts()) ?? []) {
          const v = value(c);
          if (v !== null && v !== undefined) this.set({ cluster: c.name }, v);
        }
      },
    });

  perCluster(
    'reachlog_cluster_snapshot_interval_seconds',
    'How often the cluster is snapshotted',
    (c) => c.everySeconds,
  );
  perCluster('reachlog_cluster_paused', 'Whether scheduled snapshots of the cluster are paused (1) or not (0)', (c) =>
    c.paused ? 1 : 0,
  );
  perCluster(
    'reachlog_cluster_registered_timestamp_seconds',
    'When the cluster was registered (Unix time): where the overdue clock starts before a first success',
    (c) => seconds(c.createdAt),
  );
  perCluster(
    'reachlog_cluster_last_success_timestamp_seconds',
    'When the last successful snapshot of the cluster was taken (Unix time); absent until one succeeds',
    (c) => c.lastSuccessAt && seconds(c.lastSuccessAt),
  );
  perCluster(
    'reachlog_cluster_last_attempt_timestamp_seconds',
    'When the last snapshot attempt of the cluster, failed ones included, was made (Unix time)',
    (c) => c.lastAttemptAt && seconds(c.lastAttemptAt),
  );
  perCluster(
    'reachlog_cluster_last_snapshot_duration_seconds',
    'How long the last successful snapshot of the cluster took, collection to commit',
    (c) => c.lastSuccessDurationMs && c.lastSuccessDurationMs / 1000,
  );
  perCluster(
    'reachlog_cluster_snapshot_failures_since_success',
    'Failed snapshot attempts since the last successful one (0 while the cluster is read fine)',
    (c) => c.failuresSinceSuccess,
  );
  new Counter({
    name: 'reachlog_cluster_snapshot_failures_total',
    help: 'Failed snapshot attempts recorded for the cluster',
    labelNames: ['cluster'],
    registers,
    async collect() {
      this.reset();
      for (const c of (await facts()) ?? []) this.inc({ cluster: c.name }, c.failures);
    },
  });

  new Gauge({
    name: 'reachlog_cluster_objects',
    help: 'Objects in the last successful snapshot, by kind (policies: NetworkPolicies and admin-tier policies; invalid: left out)',
    labelNames: ['cluster', 'kind'],
    registers,
    async collect() {
      this.reset();
      for (const c of (await facts()) ?? []) {
        for (const kind of OBJECT_KINDS) {
          const v = c.counts[kind];
          if (v !== undefined) this.set({ cluster: c.name, kind }, v);
        }
      }
    },
  });
  perCluster('reachlog_cluster_workloads', 'Workloads in the last successful snapshot', (c) => c.counts.workloads);
  perCluster(
    'reachlog_cluster_workloads_exposed_to_outside',
    'Workloads some address outside the cluster may reach, in the last successful snapshot',
    (c) => c.counts.exposedToOutside,
  );
  perCluster(
    'reachlog_cluster_workloads_open_to_world',
    'Workloads every outside IPv4 address (0.0.0.0/0) may reach on some port, in the last successful snapshot',
    (c) => c.counts.openToWorld,
  );
  new Gauge({
    name: 'reachlog_cluster_workloads_unisolated',
    help: 'Workloads with a pod whose traffic in this direction nothing restricts (no NetworkPolicy isolation, no admin-tier Deny), in the last successful snapshot',
    labelNames: ['cluster', 'direction'],
    registers,
    async collect() {
      this.reset();
      for (const c of (await facts()) ?? []) {
        const { ingressUnisolated, egressUnisolated } = c.counts;
        if (ingressUnisolated !== undefined) this.set({ cluster: c.name, direction: 'ingress' }, ingressUnisolated);
        if (egressUnisolated !== undefined) this.set({ cluster: c.name, direction: 'egress' }, egressUnisolated);
      }
    },
  });
  perCluster(
    'reachlog_cluster_connections',
    'Ordered pairs of workloads where the first may open some port of the second, in the last successful snapshot',
    (c) => c.counts.connections,
  );
}
