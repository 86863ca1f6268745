/**
 * Reads that may be answered from memory for a short while: which cluster a name is, which
 * snapshot is the latest. At hundreds of requests a second, each would otherwise be a query per
 * request; held for a second, an answer is at most a second behind the database (a request
 * that came a second earlier). Concurrent readers share one load; failures are not kept.
 */
export class FreshCache<K, V> {
  private readonly entries = new Map<K, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  getOrLoad(key: K, load: () => Promise<V>): Promise<V> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (this.entries.size > 10_000) this.dropExpired(now);
    const value = load();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  private dropExpired(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
  }
}
