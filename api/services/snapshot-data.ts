import { computeReachability, type Reachability, fromMatrixDoc, type StoredReachability } from '../../engine/index.js';
import { docFromVersions } from '../../store/history/reach-parts.js';
import { LruCache } from './lru-cache.js';
import type { VersionsRepository } from '../../store/versions.repository.js';
import { OBJECT_KINDS, snapshotObjects, type SnapshotObjects } from '../../store/history/objects.js';
import type { ReadableSnapshot } from './snapshot-resolver.js';
import { clusterFromObjects } from './stored-cluster.js';

/**
 * What a snapshot holds, loaded once and kept in small LRU caches: history is immutable, and
 * an unchanged snapshot reads what the last changed one stored, so entries are keyed by that.
 */
export class SnapshotData {
  private readonly stored: LruCache<string, Promise<StoredReachability>>;
  private readonly objects: LruCache<string, Promise<SnapshotObjects>>;
  private readonly rebuilt: LruCache<string, Promise<Reachability>>;

  constructor(
    private readonly versions: VersionsRepository,
    size = 16,
  ) {
    this.stored = new LruCache(size);
    this.objects = new LruCache(size);
    // A recomputation holds the whole model: fewer of them.
    this.rebuilt = new LruCache(Math.max(2, Math.ceil(size / 4)));
  }

  /** The engine's stored result at the snapshot, served like a fresh one. */
  reach(clusterId: number, s: ReadableSnapshot): Promise<StoredReachability> {
    return this.stored.getOrLoad(`${clusterId}:${s.contentId}`, async () =>
      fromMatrixDoc(docFromVersions(await this.versions.reachPartsAt(clusterId, s.contentId))),
    );
  }

  /** Namespaces, workloads, services and policies valid at the snapshot. */
  objectsAt(clusterId: number, s: ReadableSnapshot): Promise<SnapshotObjects> {
    return this.objects.getOrLoad(`${clusterId}:${s.contentId}`, async () =>
      snapshotObjects(await this.versions.objectsAt(clusterId, s.contentId, OBJECT_KINDS)),
    );
  }

  /** The computation redone from the stored objects: what explanations need (policies, rules). */
  recomputed(clusterId: number, s: ReadableSnapshot): Promise<Reachability> {
    return this.rebuilt.getOrLoad(`${clusterId}:${s.contentId}`, async () =>
      computeReachability(clusterFromObjects(await this.objectsAt(clusterId, s), s.contentId)),
    );
  }
}
