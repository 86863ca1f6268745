import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { createGunzip } from 'node:zlib';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Credentials that were sent, so that callers can keep them out of any message. */
  secrets: string[];
}

/** Thrown before any request is made: the kubeconfig names no server or cannot authenticate. */
export class KubeConfigUnusableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'KubeConfigUnusableError';
  }
}

/**
 * One GET against the current context's API server, with the kubeconfig's TLS, proxy and
 * credentials applied. `applyToHTTPSOptions` runs per request so that expiring credentials
 * (exec plugins, the in-cluster token file) are refreshed during a long listing.
 */
export async function kubeGet(
  kubeConfig: KubeConfig,
  pathAndQuery: string,
  signal: AbortSignal,
): Promise<KubeResponse> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new KubeConfigUnusableError(`context "${kubeConfig.getCurrentContext()}" names no cluster server`);
  const url = new URL(server);
  // Keep a path prefix in the server URL (Rancher-style proxies serve the API under one).
  const [path, query = ''] = pathAndQuery.split('?', 2);
  url.pathname = url.pathname.replace(/\/$/, '') + path;
  url.search = query;

  // The apiserver compresses large responses when asked: a 500-pod page shrinks about tenfold.
  const options: https.RequestOptions = {
    method: 'GET',
    headers: { Accept: 'application/json', 'Accept-Encoding': 'gzip' },
  };
  try {
    await kubeConfig.applyToHTTPSOptions(options);
  } catch (e) {
    throw new KubeConfigUnusableError(
      `could not apply the kubeconfig (credentials, TLS or proxy settings): ${(e as Error).message}`,
    );
  }
  const secrets = credentialsIn(options);
  const transport = url.protocol === 'http:' ? http : https;

  return new Promise<KubeResponse>((resolve, reject) => {
    const request = transport.request(url, { ...options, signal }, (response) => {
      const gzipped = response.headers['content-encoding'] === 'gzip';
      const body = gzipped ? response.pipe(createGunzip()) : response;
      const chunks: Buffer[] = [];
      body.on('data', (chunk: Buffer) => chunks.push(chunk));
      body.on('error', reject);
      response.on('error', reject);
      // 'end' only follows a complete body; a connection cut mid-body must not look like a short page.
      response.on('close', () => {
        if (!response.complete) reject(new Error('connection closed before the response was complete'));
      });
      body.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), secrets }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

function credentialsIn(options: https.RequestOptions): string[] {
  // applyToHTTPSOptions sets headers as a record, never the raw array form.
  const headers = (options.headers ?? {}) as http.OutgoingHttpHeaders;
  const auth = headers.Authorization ?? headers.authorization;
  const value = typeof auth === 'string' ? auth : '';
  const secret = value.replace(/^(Bearer|Basic)\s+/i, '');
  return [secret, options.auth ?? ''].filter((s) => s.length > 0);
}
