import type { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';

export interface CollectOptions {
  kubeConfig: KubeConfig;
  /** The name used in sources (`kube:<cluster>/pods`) and errors; defaults to the kubeconfig's current cluster. */
  cluster?: string;
  /** Items per list request (`limit`). 500 is what kubectl and client-go informers use. */
  pageSize?: number;
  /** For one request, from connecting to the last byte of the body. */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** How often one resource's list may start over after 410 Gone before the collection fails. */
  maxListRestarts?: number;
  /** Stops the collection; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Everything a request needs, defaults resolved. */
export interface KubeSession {
  kubeConfig: KubeConfig;
  cluster: string;
  pageSize: number;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  maxListRestarts: number;
  signal: AbortSignal | undefined;
}

export function sessionFrom(options: CollectOptions): KubeSession {
  const { kubeConfig } = options;
  return {
    kubeConfig,
    cluster: options.cluster ?? kubeConfig.getCurrentCluster()?.name ?? kubeConfig.getCurrentContext(),
    pageSize: options.pageSize ?? 500,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    maxListRestarts: options.maxListRestarts ?? 3,
    signal: options.signal,
  };
}
