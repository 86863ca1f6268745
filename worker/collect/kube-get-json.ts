import type { IncomingHttpHeaders } from 'node:http';
import type { KubeSession } from './collect-options.js';
import { failureForStatus, KubeApiError } from './kube-api-error.js';
import { KubeConfigUnusableError, kubeGet, type KubeResponse } from './kube-request.js';
import { withRetries } from './retry.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * GETs one JSON object, retrying what may recover (5xx, 429, timeouts, network errors) with
 * backoff. `resource` names what is being read in errors, e.g. `pods`.
 */
export function getJson(session: KubeSession, resource: string, pathAndQuery: string): Promise<JsonObject> {
  return withRetries(() => getOnce(session, resource, pathAndQuery), session.retry, session.signal);
}

async function getOnce(session: KubeSession, resource: string, pathAndQuery: string): Promise<JsonObject> {
  const { cluster } = session;
  const timeout = AbortSignal.timeout(session.requestTimeoutMs);
  const signal = session.signal ? AbortSignal.any([timeout, session.signal]) : timeout;
  let response: KubeResponse;
  try {
    response = await kubeGet(session.kubeConfig, pathAndQuery, signal);
  } catch (e) {
    // The caller stopped the collection: report that, not a network failure to retry.
    if (session.signal?.aborted) throw session.signal.reason;
    if (e instanceof KubeConfigUnusableError)
      throw new KubeApiError({ cluster, resource, failure: 'credentials', detail: e.message });
    if (timeout.aborted) {
      const detail = `no complete response within ${session.requestTimeoutMs} ms`;
      throw new KubeApiError({ cluster, resource, failure: 'timeout', detail });
    }
    throw new KubeApiError({ cluster, resource, ...networkFailure(e as NodeJS.ErrnoException) });
  }

  if (response.status < 200 || response.status >= 300) {
    throw new KubeApiError({
      cluster,
      resource,
      failure: failureForStatus(response.status),
      status: response.status,
      detail: redact(statusMessage(response.body), response.secrets),
      retryAfterMs: retryAfterMs(response.headers),
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(response.body.toString('utf8'));
  } catch (e) {
    const detail = `response is not JSON: ${(e as Error).message}`;
    throw new KubeApiError({ cluster, resource, failure: 'malformed-response', status: response.status, detail });
  }
  if (!isJsonObject(value)) {
    throw new KubeApiError({
      cluster,
      resource,
      failure: 'malformed-response',
      status: response.status,
      detail: 'response is not a JSON object',
    });
  }
  return value;
}

/** The apiserver explains failures in a `Status` object; proxies in front of it may send anything. */
function statusMessage(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    const status: unknown = JSON.parse(text);
    if (isJsonObject(status) && typeof status.message === 'string' && status.message !== '') {
      const reason = typeof status.reason === 'string' && status.reason !== '' ? ` (${status.reason})` : '';
      return `${status.message}${reason}`;
    }
  } catch {
    // Not JSON (an HTML error page from a load balancer): show its start instead.
  }
  const start = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return start === '' ? 'no explanation in the response' : start;
}

/** A proxy that echoes request headers into its error page must not leak the token into logs. */
function redact(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** Retry-After in seconds (the apiserver never sends the HTTP-date form). */
function retryAfterMs(headers: IncomingHttpHeaders): number | undefined {
  const seconds = Number(headers['retry-after']);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

const TLS_CODE = /CERT|SELF_SIGNED|ERR_TLS|ERR_SSL/;

function networkFailure(e: NodeJS.ErrnoException): { failure: 'network' | 'tls'; detail: string } {
  const code = e.code ?? '';
  const detail = code && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  return { failure: TLS_CODE.test(code) ? 'tls' : 'network', detail };
}
