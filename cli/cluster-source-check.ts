import { statSync } from 'node:fs';
import type { ClusterSource } from '../store/clusters.repository.js';
import { KubeConfigError, loadKubeConfig } from '../config/kube-config.js';
import { CliError } from './cli-error.js';

/**
 * A cluster's source checked where `cluster add` runs, before anything is stored: a directory
 * that is not there, a context the kubeconfig lacks or no kubeconfig at all would otherwise
 * surface only as the first snapshot's failure. An in-cluster source is checked by the worker
 * in its pod: the command may be run from elsewhere.
 */
export function checkClusterSource(source: ClusterSource): void {
  if (source.kind === 'manifests') {
    const stat = statSync(source.dir, { throwIfNoEntry: false });
    if (!stat) throw new CliError(`--manifests ${source.dir}: no such directory`);
    if (!stat.isDirectory()) throw new CliError(`--manifests ${source.dir}: not a directory`);
    return;
  }
  if (source.inCluster) return;
  try {
    loadKubeConfig({ from: 'default', ...(source.context === undefined ? {} : { context: source.context }) });
  } catch (e) {
    if (!(e instanceof KubeConfigError)) throw e;
    throw new CliError(source.context === undefined ? e.message : `--context ${source.context}: ${e.message}`);
  }
}
