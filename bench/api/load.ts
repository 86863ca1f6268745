/**
 * Load generator, in its own process: a fixed overall rate against the spec's URLs, after a
 * warm-up at the same rate; prints one JSON line (LoadResult) on stdout.
 *
 *   node --import tsx bench/api/load.ts '<LoadSpec as JSON>'
 */
import { createRequire } from 'node:module';
import type { LoadResult, LoadSpec } from './load-types.js';
import { pacedLoad } from './paced-load.js';

interface Histogram {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}
interface AutocannonResult {
  latency: Histogram;
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;

async function autocannonLoad(seconds: number): Promise<LoadResult> {
  const first = new URL(spec.urls[0]!);
  const r = await autocannon({
    url: first.origin,
    // Each connection walks this list in turn.
    requests: spec.urls.map((u) => {
      const url = new URL(u);
      return { method: 'GET', path: url.pathname + url.search };
    }),
    headers: { authorization: `Bearer ${spec.token}` },
    connections: spec.connections,
    overallRate: spec.rate,
    duration: seconds,
    timeout: 10,
    // autocannon "corrects" for coordinated omission with an expected interval of ceil(1 / rate
    // per connection) = 1 ms, which adds a sample per millisecond of every slow response: raw
    // latencies instead.
    ignoreCoordinatedOmission: true,
  });
  return {
    requests: r.requests.total,
    ok: r['2xx'],
    errors: r.errors + r.non2xx,
    timeouts: r.timeouts,
    achievedRate: r.requests.total / r.duration,
    latency: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
  };
}

const run = (seconds: number) => (spec.generator === 'paced' ? pacedLoad(spec, seconds) : autocannonLoad(seconds));
if (spec.warmupSeconds > 0) await run(spec.warmupSeconds);
process.stdout.write(`${JSON.stringify(await run(spec.seconds))}\n`);
