export interface LoadSpec {
  url: string;
  token: string;
  /** Requests per second, all connections together (autocannon's overallRate). */
  rate: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requests: number;
  ok: number;
  /** Socket errors and non-2xx responses. */
  errors: number;
  timeouts: number;
  achievedRate: number;
  /** Milliseconds. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
}
