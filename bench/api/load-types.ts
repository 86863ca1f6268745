export interface LoadSpec {
  /** Sent in turn, request i to urls[i % urls.length]. */
  urls: string[];
  token: string;
  /** Requests per second, all connections together. */
  rate: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /**
   * `paced`: open loop, request i sent at start + i / rate (wrk2's model), latency from that
   * planned time; `autocannon`: its overallRate, each connection's share at the start of every second.
   */
  generator: 'paced' | 'autocannon';
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
