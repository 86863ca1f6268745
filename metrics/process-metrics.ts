import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ClusterFacts } from '../store/cluster-facts.repository.js';
import { registerAlertMetrics, type AlertMetrics, type FailedDeliveries } from './alert-metrics.js';
import { registerClusterMetrics } from './cluster-metrics.js';
import { registerHttpMetrics, type HttpRequestDuration } from './http-metrics.js';
import { registerJobMetrics, registerQueueMetrics, type CountedQueue, type JobMetrics } from './queue-metrics.js';

/**
 * One registry per process (never prom-client's global one, so that tests and the embedded
 * mode can run several): Node's own process metrics, then each area's. The API and the worker
 * both report the per-cluster and queue metrics, read from the store at scrape time, so either
 * may be scraped alone; dashboards take `max by (cluster)` over them.
 */

export interface MetricsSources {
  /** The per-cluster facts (ClusterFactsRepository.all); none: no reachlog_cluster_* metrics. */
  clusterFacts?: () => Promise<ClusterFacts[]>;
  /** Queues whose depth is reported (none in the embedded mode, which has no Redis). */
  queues?: readonly CountedQueue[];
  /** Failed alert deliveries as stored; none: the gauge is set by the delivery code. */
  failedDeliveries?: () => Promise<FailedDeliveries[]>;
  /** Scrapes within this many ms share the store's answers (default 5 s; tests use 0). */
  cacheMs?: number;
  onError?: (message: string) => void;
}

interface CommonMetrics {
  registry: Registry;
  alerts: AlertMetrics;
}

export interface ApiMetrics extends CommonMetrics {
  http: HttpRequestDuration;
}

export interface WorkerMetrics extends CommonMetrics {
  jobs: JobMetrics;
}

function commonMetrics(sources: MetricsSources): CommonMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const cache = sources.cacheMs === undefined ? {} : { cacheMs: sources.cacheMs };
  if (sources.clusterFacts)
    registerClusterMetrics(registry, sources.clusterFacts, {
      ...cache,
      ...(sources.onError ? { onError: sources.onError } : {}),
    });
  if (sources.queues?.length) registerQueueMetrics(registry, sources.queues, cache);
  return { registry, alerts: registerAlertMetrics(registry, sources.failedDeliveries, cache) };
}

export function createApiMetrics(sources: MetricsSources): ApiMetrics {
  const common = commonMetrics(sources);
  return { ...common, http: registerHttpMetrics(common.registry) };
}

export function createWorkerMetrics(sources: MetricsSources): WorkerMetrics {
  const common = commonMetrics(sources);
  return { ...common, jobs: registerJobMetrics(common.registry) };
}
