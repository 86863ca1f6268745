import { buildCluster, type Cluster, type InputError } from '../engine/index.js';
import { ManifestPathError, readManifests } from '../input/manifest-files.js';
import { CliError } from './cli-error.js';

export interface LoadedCluster {
  cluster: Cluster;
  /** Parse errors and invalid objects, in input order. */
  errors: InputError[];
  files: number;
}

export function loadCluster(paths: readonly string[]): LoadedCluster {
  let read;
  try {
    read = readManifests(paths);
  } catch (e) {
    if (e instanceof ManifestPathError) throw new CliError(e.message);
    throw e;
  }
  const cluster = buildCluster(read.objects);
  return { cluster, errors: [...read.errors, ...cluster.errors], files: read.files };
}
