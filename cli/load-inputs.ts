import { buildCluster, type Cluster, type InputError } from '../engine/index.js';
import { ManifestPathError, readManifests, type ManifestOptions } from '../input/manifest-files.js';
import { CliError } from './cli-error.js';

export interface LoadedCluster {
  cluster: Cluster;
  /** Parse errors and invalid objects, in input order (file, document, item). */
  errors: InputError[];
  files: number;
  /** Files holding no Kubernetes object (Helm values, CI configs). */
  skippedFiles: string[];
}

export function loadCluster(paths: readonly string[], options: ManifestOptions = {}): LoadedCluster {
  let read;
  try {
    read = readManifests(paths, options);
  } catch (e) {
    if (e instanceof ManifestPathError) throw new CliError(e.message);
    throw e;
  }
  // A symlink loop or a second link to a directory: read once, and said so.
  for (const line of read.notFollowed) process.stderr.write(`reachlog: warning: ${line}\n`);
  const cluster = buildCluster(read.objects);
  // Documents that could not be read and objects that were invalid, merged back into input order.
  const fileOrder = new Map(read.fileNames.map((f, i) => [f, i]));
  const rank = (e: InputError) => [fileOrder.get(e.source.file) ?? -1, e.source.doc, e.source.item ?? 0];
  const errors = [...read.errors, ...cluster.errors]
    .map((e, i) => ({ e, i, at: rank(e) }))
    .sort((a, b) => a.at[0]! - b.at[0]! || a.at[1]! - b.at[1]! || a.at[2]! - b.at[2]! || a.i - b.i)
    .map(({ e }) => e);
  return { cluster, errors, files: read.files, skippedFiles: read.skippedFiles };
}
