/**
 * A read that several metrics of one scrape share: done once, kept briefly, and bounded in time
 * so that a hung dependency costs a scrape a few seconds, not Prometheus' whole timeout.
 */
export type ReadOutcome<T> = { ok: true; value: T } | { ok: false; error: string };

export interface CachedReadOptions {
  /**
   * How long an answer is reused after it came: by scrapes of several Prometheus replicas. The
   * metrics of one scrape, collected at once, always share the read in flight.
   */
  ttlMs: number;
  /** How long the read may take before it counts as failed. */
  timeoutMs: number;
  now?: () => number;
}

export function cachedRead<T>(read: () => Promise<T>, options: CachedReadOptions): () => Promise<ReadOutcome<T>> {
  const now = options.now ?? Date.now;
  let kept: { settledAt: number | undefined; outcome: Promise<ReadOutcome<T>> } | undefined;
  return () => {
    if (kept && (kept.settledAt === undefined || now() - kept.settledAt < options.ttlMs)) return kept.outcome;
    const entry: NonNullable<typeof kept> = {
      settledAt: undefined,
      outcome: within(options.timeoutMs, Promise.resolve().then(read))
        .then(
          (value): ReadOutcome<T> => ({ ok: true, value }),
          (e: unknown): ReadOutcome<T> => ({ ok: false, error: (e as Error)?.message || String(e) }),
        )
        .finally(() => {
          entry.settledAt = now();
        }),
    };
    kept = entry;
    return entry.outcome;
  };
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  // The read goes on after a timeout; its late rejection must not be unhandled.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
