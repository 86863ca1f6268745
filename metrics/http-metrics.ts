import { Histogram, type Registry } from 'prom-client';

/**
 * API requests by route pattern (`/api/v1/clusters/:cluster`, never the path as sent), method and
 * status. Paths no route matches share `route="unmatched"`, so a scan of random URLs adds no series.
 */
export type HttpRequestDuration = Histogram<'method' | 'route' | 'status'>;

export const UNMATCHED_ROUTE = 'unmatched';

export function registerHttpMetrics(registry: Registry): HttpRequestDuration {
  return new Histogram({
    name: 'reachlog_http_request_duration_seconds',
    help: 'API requests, from arrival to the last byte of the answer, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}
