import { InputError, type RawObject } from '../../engine/index.js';
import type { KubeSession } from './collect-options.js';
import type { CollectedPage, CollectSink } from './collect-sink.js';
import { KubeApiError } from './kube-api-error.js';
import { getJson, isJsonObject, type JsonObject } from './kube-get-json.js';
import { groupVersion, listPath, type KubeResource } from './kube-resources.js';

export interface ListedResource {
  resource: KubeResource;
  /** Objects delivered to the sink. */
  objects: number;
  /** Items that were not objects, delivered as errors. */
  errors: number;
  pages: number;
  /** The resourceVersion the finished list is consistent at. */
  resourceVersion: string;
  /** Times the list started over after 410 Gone. */
  restarts: number;
}

/**
 * Lists one resource across all namespaces, `pageSize` items per request. A continue token
 * that expires (410 Gone, reason Expired: the apiserver's etcd compacted the revision the list
 * started at) restarts the list from the first page rather than continuing inconsistently.
 */
export async function listResource(
  session: KubeSession,
  resource: KubeResource,
  sink: CollectSink,
): Promise<ListedResource> {
  for (let restarts = 0; ; restarts++) {
    try {
      return { ...(await listOnce(session, resource, sink)), restarts };
    } catch (e) {
      if (!(e instanceof KubeApiError) || e.failure !== 'expired' || restarts >= session.maxListRestarts) throw e;
      await sink.discard(resource);
    }
  }
}

async function listOnce(
  session: KubeSession,
  resource: KubeResource,
  sink: CollectSink,
): Promise<Omit<ListedResource, 'restarts'>> {
  let objects = 0;
  let errors = 0;
  let pages = 0;
  let continueToken = '';
  for (;;) {
    const query = new URLSearchParams({ limit: String(session.pageSize) });
    if (continueToken) query.set('continue', continueToken);
    const list = await getJson(session, resource.plural, `${listPath(resource)}?${query}`);
    const page = readPage(session, resource, list, objects + errors);
    objects += page.objects.length;
    errors += page.errors.length;
    pages++;
    await sink.page(page);
    const metadata = isJsonObject(list.metadata) ? list.metadata : {};
    continueToken = typeof metadata.continue === 'string' ? metadata.continue : '';
    if (!continueToken) {
      const resourceVersion = typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : '';
      return { resource, objects, errors, pages, resourceVersion };
    }
  }
}

/**
 * Built-in lists (PodList) carry kind and apiVersion only on the list, not on each item; the
 * engine needs them on the object, so they are filled in from the list. Nothing else is
 * checked here: a malformed object goes on to the engine, which names the bad field.
 */
function readPage(session: KubeSession, resource: KubeResource, list: JsonObject, before: number): CollectedPage {
  if (!Array.isArray(list.items)) {
    throw new KubeApiError({
      cluster: session.cluster,
      resource: resource.plural,
      failure: 'malformed-response',
      status: 200,
      detail: 'list response has no items array',
    });
  }
  const listKind = typeof list.kind === 'string' && list.kind.endsWith('List') ? list.kind : `${resource.kind}List`;
  const kind = listKind.slice(0, -'List'.length);
  const apiVersion =
    typeof list.apiVersion === 'string' && list.apiVersion !== '' ? list.apiVersion : groupVersion(resource);
  const file = `kube:${session.cluster}/${resource.plural}`;
  const page: CollectedPage = { resource, objects: [], errors: [] };
  list.items.forEach((item: unknown, i) => {
    const source = { file, doc: before + i + 1 };
    if (!isJsonObject(item)) {
      page.errors.push(new InputError(source, '', '', `${listKind} item is not a Kubernetes object`));
      return;
    }
    // Spread after the defaults: an item that does carry kind and apiVersion (CRD lists do) keeps its own.
    const body: RawObject['body'] = { apiVersion, kind, ...item };
    page.objects.push({ source, body });
  });
  return page;
}
