import type { InputError, RawObject } from '../../engine/index.js';
import type { ClusterRecord } from '../store/clusters.repository.js';
import { loadKubeConfig } from './kube-config.js';
import { collectCluster } from './kube-collector.js';
import { readManifests } from './manifest-files.js';

export interface Collected {
  objects: RawObject[];
  /** Documents or items that could not be read at all. */
  errors: InputError[];
  /** Read from an API server, which validated the objects (and may know fields reachlog's schemas do not). */
  acceptedByApiServer: boolean;
}

/** Reads a registered cluster from its source: the Kubernetes API, or a directory of manifests. */
export async function collectSource(cluster: ClusterRecord, signal?: AbortSignal): Promise<Collected> {
  if (cluster.source.kind === 'manifests') {
    const read = readManifests([cluster.source.dir]);
    return { objects: read.objects, errors: read.errors, acceptedByApiServer: false };
  }
  const kubeConfig = loadKubeConfig(
    cluster.source.inCluster ? { from: 'in-cluster' } : { from: 'default', context: cluster.source.context },
  );
  // Pages are kept per resource so that a list restarted after 410 Gone replaces its own pages only.
  const byResource = new Map<string, RawObject[][]>();
  const errors: InputError[] = [];
  await collectCluster(
    { kubeConfig, cluster: cluster.name, signal },
    {
      page(page) {
        const pages = byResource.get(page.resource.plural) ?? [];
        pages.push(page.objects);
        byResource.set(page.resource.plural, pages);
        for (const e of page.errors) errors.push(e);
      },
      discard(resource) {
        byResource.delete(resource.plural);
      },
    },
  );
  return { objects: [...byResource.values()].flat(2), errors, acceptedByApiServer: true };
}
