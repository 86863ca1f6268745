import { Agent, request } from 'node:http';
import type { LoadResult, LoadSpec } from './load-types.js';

const TIMEOUT_MS = 10_000;

/** Sorted samples' value at quantile q, rounded to 0.01 ms. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const v = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return Math.round(v * 100) / 100;
}

/**
 * Open-loop load at a fixed rate, as wrk2 makes it: request i is due at start + i / rate whether
 * or not earlier ones have been answered, and its latency counts from when it was due. A slow
 * answer therefore delays nothing but is charged for all the waiting it causes (no coordinated
 * omission). At most `connections` requests are in flight; the rest wait for a socket, on the clock.
 */
export async function pacedLoad(spec: LoadSpec, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const intervalMs = 1000 / spec.rate;
  const total = Math.round(seconds * spec.rate);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let timeouts = 0;
  let sent = 0;

  const send = (url: string, due: number) =>
    new Promise<void>((resolve) => {
      let timedOut = false;
      const req = request(
        url,
        { agent, headers: { authorization: `Bearer ${spec.token}` }, timeout: TIMEOUT_MS },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode! >= 200 && res.statusCode! < 300) ok++;
            else errors++;
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        timedOut = true;
        req.destroy();
      });
      req.on('error', () => {
        if (timedOut) timeouts++;
        else errors++;
        resolve();
      });
      req.end();
    });

  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  while (sent < total) {
    const now = performance.now();
    // Everything due by now goes out at once: a late timer delays sends, never skips them.
    while (sent < total && start + sent * intervalMs <= now) {
      inFlight.push(send(spec.urls[sent % spec.urls.length]!, start + sent * intervalMs));
      sent++;
    }
    const next = start + sent * intervalMs - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(0, Math.floor(next))));
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    ok,
    errors,
    timeouts,
    achievedRate: total / elapsedS,
    latency: {
      p50: quantile(latencies, 0.5),
      p90: quantile(latencies, 0.9),
      p99: quantile(latencies, 0.99),
      max: quantile(latencies, 1),
      mean: Math.round((latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)) * 100) / 100,
    },
  };
}
