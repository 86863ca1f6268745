/** Timing and memory readings shared by the benchmark's child processes. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Wall time, and CPU time of the whole process (all threads, GC helpers included): on a
 * machine shared with other work, CPU time moves much less than wall time does.
 */
export function timed<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, value };
}

/** Peak resident set size of this process so far (`maxRSS` is in KiB on Linux and macOS). */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Between runs, so one run's garbage is not collected on the next one's clock (needs --expose-gc). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
