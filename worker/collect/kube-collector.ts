import { sessionFrom, type CollectOptions, type KubeSession } from './collect-options.js';
import type { CollectSink } from './collect-sink.js';
import { isServed, servedGroupVersions } from './discovery.js';
import { KubeApiError } from './kube-api-error.js';
import { ADMIN_POLICY_RESOURCES, CORE_RESOURCES, NODE_RESOURCE, type KubeResource } from './kube-resources.js';
import { listResource, type ListedResource } from './list-resource.js';

export interface CollectSummary {
  cluster: string;
  /** Objects delivered per kind, e.g. `{ Namespace: 3, Pod: 1200, … }`; a kind not served is missing. */
  counts: Record<string, number>;
  listed: ListedResource[];
  /** Optional resources this cluster does not serve: the admin policy CRDs are not installed. */
  absent: KubeResource[];
  /** Optional resources the collector may not list (403): Nodes without the RBAC rule. */
  forbidden: KubeApiError[];
}

/**
 * Reads one cluster's network-relevant objects into `sink`, page by page: Namespaces, Pods,
 * ReplicaSets, Services and NetworkPolicies always, the admin network policy CRDs where installed,
 * and Nodes where there are admin policies.
 * Resources are listed one after another, so at most one page is in memory at a time.
 * Rejects with a KubeApiError naming the cluster, resource and HTTP status.
 */
export async function collectCluster(options: CollectOptions, sink: CollectSink): Promise<CollectSummary> {
  const session = sessionFrom(options);
  // Discovery first: it is cheap and fails fast on bad credentials before a long pod listing.
  const served = await servedGroupVersions(session);
  const summary: CollectSummary = { cluster: session.cluster, counts: {}, listed: [], absent: [], forbidden: [] };
  for (const resource of [...CORE_RESOURCES, ...ADMIN_POLICY_RESOURCES]) {
    const listed =
      resource.optional && !isServed(resource, served) ? undefined : await listOrAbsent(session, resource, sink);
    if (listed === undefined) {
      summary.absent.push(resource);
      continue;
    }
    summary.listed.push(listed);
    summary.counts[resource.kind] = listed.objects;
  }
  if (ADMIN_POLICY_RESOURCES.some((r) => (summary.counts[r.kind] ?? 0) > 0)) await listNodes(session, sink, summary);
  return summary;
}

/** Nodes for admin `nodes` peers; a 403 leaves them out (recorded) rather than failing the snapshot. */
async function listNodes(session: KubeSession, sink: CollectSink, summary: CollectSummary): Promise<void> {
  try {
    const listed = await listResource(session, NODE_RESOURCE, sink);
    summary.listed.push(listed);
    summary.counts[NODE_RESOURCE.kind] = listed.objects;
  } catch (e) {
    if (!(e instanceof KubeApiError) || e.failure !== 'forbidden') throw e;
    await sink.discard(NODE_RESOURCE);
    summary.forbidden.push(e);
  }
}

/**
 * A group version can be served without every resource of it (only the ANP CRD installed, not
 * BANP's), or a CRD can be deleted between discovery and listing: for optional resources a
 * 404 means absent, as discovery would have said.
 */
async function listOrAbsent(
  session: KubeSession,
  resource: KubeResource,
  sink: CollectSink,
): Promise<ListedResource | undefined> {
  let delivered = false;
  const tracking: CollectSink = {
    page(page) {
      delivered = true;
      return sink.page(page);
    },
    discard(discarded) {
      delivered = false;
      return sink.discard(discarded);
    },
  };
  try {
    return await listResource(session, resource, tracking);
  } catch (e) {
    if (!resource.optional || !(e instanceof KubeApiError) || e.failure !== 'not-found') throw e;
    if (delivered) await sink.discard(resource);
    return undefined;
  }
}
