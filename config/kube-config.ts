import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { env } from './env.js';

/** Where a cluster's credentials come from. */
export type KubeConfigSource =
  /** $KUBECONFIG (files merged as kubectl does), else ~/.kube/config, else in-cluster; optionally another context. */
  | { from: 'default'; context?: string }
  | { from: 'file'; path: string; context?: string }
  /**
   * The pod's service account: KUBERNETES_SERVICE_HOST/PORT and the token and CA mounted under
   * /var/run/secrets/kubernetes.io/serviceaccount. `pathPrefix` relocates that mount (tests).
   */
  | { from: 'in-cluster'; pathPrefix?: string };

/** The kubeconfig cannot be used as asked: a missing context, or not running in a pod. */
export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (source.from === 'in-cluster') {
    const prefix = source.pathPrefix ?? '';
    // loadFromCluster does not check these itself; it would build "https://undefined:undefined".
    if (!env().kubernetesService) {
      throw new KubeConfigError(
        'not running in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set',
      );
    }
    if (!existsSync(`${prefix}${SERVICE_ACCOUNT_TOKEN}`)) {
      throw new KubeConfigError(
        `no service account token at ${prefix}${SERVICE_ACCOUNT_TOKEN} (automountServiceAccountToken: false?)`,
      );
    }
    kubeConfig.loadFromCluster(prefix);
    return kubeConfig;
  }
  try {
    if (source.from === 'file') kubeConfig.loadFromFile(source.path);
    else kubeConfig.loadFromDefault();
  } catch (e) {
    const missing = e as NodeJS.ErrnoException;
    if (missing.code === 'ENOENT') throw new KubeConfigError(`no kubeconfig at ${missing.path ?? 'the path given'}`);
    throw e;
  }
  // With no $KUBECONFIG, no ~/.kube/config and no service account, client-node makes up a
  // cluster at http://localhost:8080: a request there would fail later and say less.
  if (source.from === 'default' && isMadeUp(kubeConfig)) {
    throw new KubeConfigError('no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a pod');
  }
  if (source.context !== undefined) useContext(kubeConfig, source.context);
  return kubeConfig;
}

/** client-node's stand-in when it finds no configuration (KubeConfig.loadFromDefault's last resort). */
function isMadeUp(kubeConfig: KubeConfig): boolean {
  return (
    kubeConfig.getCurrentContext() === 'loaded-context' &&
    kubeConfig.getCurrentCluster()?.server === 'http://localhost:8080' &&
    kubeConfig.getContexts().length === 1
  );
}

function useContext(kubeConfig: KubeConfig, context: string): void {
  if (kubeConfig.getContextObject(context) === null) {
    const known = kubeConfig.getContexts().map((c) => c.name);
    const list = known.length > 0 ? known.map((n) => `"${n}"`).join(', ') : 'none';
    throw new KubeConfigError(`kubeconfig has no context "${context}" (contexts: ${list})`);
  }
  kubeConfig.setCurrentContext(context);
}
