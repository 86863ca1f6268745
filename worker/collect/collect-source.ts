import { InputError, type RawObject } from '../../engine/index.js';
import type { ClusterRow } from '../../store/clusters.repository.js';
import { loadKubeConfig } from './kube-config.js';
import { collectCluster } from './kube-collector.js';
import { readManifests } from '../../input/manifest-files.js';
import { sourceBoundary } from '../../input/manifest-source.js';
import { env } from '../../config/env.js';

export interface Collected {
  objects: RawObject[];
  /** Documents or items that could not be read at all, and symlinks not followed. */
  errors: Pick<InputError, 'message'>[];
  /** Read from an API server, which validated the objects (and may know fields reachlog's schemas do not). */
  acceptedByApiServer: boolean;
}

/** Reads a registered cluster from its source: the Kubernetes API, or a directory of manifests. */
export async function collectSource(cluster: ClusterRow, signal?: AbortSignal): Promise<Collected> {
  if (cluster.source.kind === 'manifests') {
    const { dir } = cluster.source;
    const boundary = sourceBoundary(
      { name: cluster.name, dir, registeredFrom: cluster.registeredFrom },
      env().manifestsRoot,
    );
    const read = readManifests([dir], { confineTo: boundary });
    const notFollowed = read.notFollowed.map((message) => ({ message }));
    return { objects: read.objects, errors: [...read.errors, ...notFollowed], acceptedByApiServer: false };
  }
  const kubeConfig = loadKubeConfig(
    cluster.source.inCluster ? { from: 'in-cluster' } : { from: 'default', context: cluster.source.context },
  );
  // Pages are kept per resource so that a list restarted after 410 Gone replaces its own pages only.
  const byResource = new Map<string, RawObject[][]>();
  const errors: InputError[] = [];
  const summary = await collectCluster(
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
  for (const refused of summary.forbidden) {
    errors.push(
      new InputError(
        { file: `kube:${cluster.name}/${refused.resource}`, doc: 0 },
        '',
        '',
        `not read: ${refused.detail} (grant list on ${refused.resource}); admin policies' nodes peers match no node`,
      ),
    );
  }
  return { objects: [...byResource.values()].flat(2), errors, acceptedByApiServer: true };
}
