/**
 * A small least-recently-used cache. History is immutable, so entries never go stale; they
 * only make room. Promises are cached as they are, so concurrent readers share one load.
 * `capacity` bounds the sum of the entries' weights (each weighs 1 unless `weigh` says otherwise);
 * an entry heavier than the whole capacity is not kept.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly capacity: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as the most recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    if (this.capacity <= 0) return; // keeps nothing: not even worth weighing
    const weight = this.weigh(value);
    if (weight > this.capacity) return;
    this.entries.set(key, { value, weight });
    this.total += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.capacity) break;
      this.entries.delete(oldest);
      this.total -= entry.weight;
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.total -= entry.weight;
  }

  /** The sum of the kept entries' weights. */
  get weight(): number {
    return this.total;
  }

  /** The cached value, or `load()`'s promise cached in its place (dropped again if it fails). */
  async getOrLoad<T>(this: LruCache<K, Promise<T>>, key: K, load: () => Promise<T>): Promise<T> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const pending = load();
    this.set(key, pending);
    try {
      return await pending;
    } catch (e) {
      this.delete(key);
      throw e;
    }
  }
}
