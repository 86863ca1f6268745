import type { Prng } from './prng.js';
import type { Labels } from './params.js';

/** 2024-01-01T00:00:00Z: timestamps come from the seed, never the clock. */
const EPOCH_MS = Date.UTC(2024, 0, 1);
const TEN_MONTHS_S = 300 * 24 * 3600;

/** Sequential addresses: pods in 10.0.0.0/8 (so `except: 10.0.0.0/8` excludes them), Services in 10.96.0.0/12. */
class AddressAllocator {
  private count = 0;

  constructor(private readonly base: number) {}

  next(): string {
    const n = this.base + ++this.count;
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
}

/** Shared state of one generation run: the random stream, address pools, object counters. */
export class GenContext {
  readonly podIps = new AddressAllocator((10 << 24) | (1 << 16));
  readonly serviceIps = new AddressAllocator((10 << 24) | (96 << 16));
  private resourceVersion = 1000;

  constructor(
    readonly rng: Prng,
    readonly uniqueLabels: boolean,
  ) {}

  timestamp(): string {
    return new Date(EPOCH_MS + this.rng.int(TEN_MONTHS_S) * 1000).toISOString().replace('.000Z', 'Z');
  }

  /** ObjectMeta with the fields the API server fills in (uid, resourceVersion, creationTimestamp). */
  meta(
    name: string,
    namespace: string | undefined,
    labels: Labels,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      uid: this.rng.uuid(),
      resourceVersion: String(this.resourceVersion++),
      creationTimestamp: this.timestamp(),
      labels,
      ...extra,
    };
  }

  /** One of a small pool of nodes, so pods look scheduled. */
  node(): { name: string; ip: string } {
    const i = this.rng.int(200);
    return { name: `node-${i}`, ip: `10.250.${i >> 8}.${(i & 255) + 1}` };
  }
}
