import { STATUS_CODES } from 'node:http';

/** What went wrong talking to the API server, in the words an operator acts on. */
export type KubeFailure =
  /** 401: the kubeconfig's credentials were refused. */
  | 'unauthorized'
  /** 403: authenticated, but RBAC does not allow it (see required-rbac.ts). */
  | 'forbidden'
  /** 404: the API server does not serve this resource. */
  | 'not-found'
  /** 410 Gone: a continue token outlived etcd's compaction window. */
  | 'expired'
  /** Another 4xx: the request itself was refused. */
  | 'rejected'
  /** 5xx or 429: the server could not answer now. */
  | 'unavailable'
  | 'timeout'
  /** Connection refused or reset, DNS failure. */
  | 'network'
  /** The server's certificate is not trusted (wrong CA, name mismatch): asking again will not help. */
  | 'tls'
  /** A 2xx whose body is not the JSON object the API promises. */
  | 'malformed-response'
  /** The kubeconfig could not produce credentials (an exec plugin failed, a token file is missing). */
  | 'credentials';

const RETRYABLE: ReadonlySet<KubeFailure> = new Set(['unavailable', 'timeout', 'network']);

export interface KubeApiErrorFields {
  cluster: string;
  /** The resource being read, e.g. `pods`, or `discovery` for `GET /apis`. */
  resource: string;
  failure: KubeFailure;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The server's Status message, or the network error; never request headers or credentials. */
  detail: string;
  /** Requests made before giving up. */
  attempts?: number;
  /** The server's Retry-After, in milliseconds, for 429 and 503. */
  retryAfterMs?: number;
}

/**
 * A failed read from one cluster's API server, naming the cluster, resource and HTTP status.
 * The message never contains a token: it is built only from the fields above.
 */
export class KubeApiError extends Error {
  readonly cluster: string;
  readonly resource: string;
  readonly failure: KubeFailure;
  readonly status: number | undefined;
  readonly detail: string;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;

  constructor(fields: KubeApiErrorFields) {
    const attempts = fields.attempts ?? 1;
    const http =
      fields.status === undefined
        ? fields.failure
        : `HTTP ${fields.status} ${STATUS_CODES[fields.status] ?? ''}`.trim();
    const tries = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
    super(`kube:${fields.cluster}/${fields.resource}: ${http}: ${fields.detail}${tries}`);
    this.name = 'KubeApiError';
    this.cluster = fields.cluster;
    this.resource = fields.resource;
    this.failure = fields.failure;
    this.status = fields.status;
    this.detail = fields.detail;
    this.attempts = attempts;
    this.retryAfterMs = fields.retryAfterMs;
  }

  /** Worth asking again: the server or network may recover; a refusal will not. */
  get retryable(): boolean {
    return RETRYABLE.has(this.failure);
  }

  withAttempts(attempts: number): KubeApiError {
    return new KubeApiError({ ...this.fields(), attempts });
  }

  private fields(): KubeApiErrorFields {
    const { cluster, resource, failure, status, detail, attempts, retryAfterMs } = this;
    return { cluster, resource, failure, status, detail, attempts, retryAfterMs };
  }
}

export function failureForStatus(status: number): KubeFailure {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 410) return 'expired';
  // 429 is the API server's priority-and-fairness "try later", not a refusal.
  if (status === 429 || status >= 500) return 'unavailable';
  return 'rejected';
}
