import type { RawObject } from '../../../engine/index.js';
import type { CollectedPage, CollectSink } from '../../../worker/collect/collect-sink.js';

/** A sink that stores like a snapshot table would (per resource, dropping on discard) and logs every call. */
export class MemorySink implements CollectSink {
  readonly stored = new Map<string, RawObject[]>();
  readonly pages: CollectedPage[] = [];
  readonly discarded: string[] = [];

  page(page: CollectedPage): void {
    this.pages.push(page);
    const stored = this.stored.get(page.resource.plural) ?? [];
    stored.push(...page.objects);
    this.stored.set(page.resource.plural, stored);
  }

  discard(resource: CollectedPage['resource']): void {
    this.discarded.push(resource.plural);
    this.stored.delete(resource.plural);
  }

  objects(plural: string): RawObject[] {
    return this.stored.get(plural) ?? [];
  }

  names(plural: string): string[] {
    return this.objects(plural).map((o) => (o.body.metadata as { name: string }).name);
  }
}
