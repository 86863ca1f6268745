import type { InputError, RawObject } from '../../engine/index.js';
import type { KubeResource } from './kube-resources.js';

/** One list response's worth of objects: at most `pageSize` of them. */
export interface CollectedPage {
  resource: KubeResource;
  /** In list order; `source.doc` counts from 1 across the resource's pages. */
  objects: RawObject[];
  /** Items that are not objects at all (a bare string or number): nothing could be passed on. */
  errors: InputError[];
}

/**
 * Where collected objects go, page by page, so a cluster with 150k pods is never held in
 * memory at once. The collector awaits each call, so a slow store slows the listing down
 * instead of piling pages up.
 */
export interface CollectSink {
  page(page: CollectedPage): void | Promise<void>;
  /**
   * Drop what page() delivered for `resource`. Called when its list expired mid-way (410 Gone)
   * and starts again from the first page at a newer resourceVersion, so that the snapshot does
   * not mix two states; and when an optional resource vanished mid-list (its CRD was deleted).
   */
  discard(resource: KubeResource): void | Promise<void>;
}
