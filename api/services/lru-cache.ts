/**
 * A small least-recently-used cache. History is immutable, so entries never go stale; they
 * only make room. Promises are cached as they are, so concurrent readers share one load.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as the most recent.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
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
