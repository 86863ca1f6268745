import type { Session } from './session.js';

/** A problem+json answer (or a network failure), with the server's words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const SIGN_IN_PATH = '/dashboard/sign-in';

let session: Session | undefined;

/** Set once at start: writes carry the session's CSRF token. */
export function useSession(s: Session): void {
  session = s;
}

async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && session) headers['x-csrf-token'] = session.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'the API did not answer (network error)');
  }
  if (res.status === 401) {
    // The token was revoked, or the session ended: sign in again.
    window.location.assign(SIGN_IN_PATH);
    throw new ApiError(401, 'UNAUTHENTICATED', 'signed out');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem = (parsed ?? {}) as { code?: string; detail?: string };
    throw new ApiError(res.status, problem.code ?? 'ERROR', problem.detail ?? `HTTP ${res.status}`);
  }
  return parsed as T;
}

/** Query string from defined, non-empty values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const get = <T>(path: string) => send<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => send<T>('POST', path, body);
export const del = <T>(path: string) => send<T>('DELETE', path);

/** `/api/v1/clusters/{cluster}/…` */
export const clusterPath = (cluster: string, rest = '') => `/api/v1/clusters/${encodeURIComponent(cluster)}${rest}`;
