import { env } from '../config/env.js';
import { CliError } from './cli-error.js';

export interface ApiTarget {
  /** e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  token: string;
}

/** --api/--token, else REACHLOG_API_URL (or the local API on PORT)/REACHLOG_TOKEN; a missing token is a usage error. */
export function apiTarget(flags: { api?: string; token?: string }): ApiTarget {
  const baseUrl = (flags.api ?? env().apiUrl).replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(baseUrl)) throw new CliError(`--api ${JSON.stringify(baseUrl)}: expected an http(s) URL`);
  const token = flags.token ?? env().apiToken;
  if (!token) throw new CliError('no API token: pass --token or set REACHLOG_TOKEN (reachlog token create makes one)');
  return { baseUrl, token };
}

/**
 * GET a JSON answer from the REST API. A problem+json answer becomes a CliError with its
 * detail; the token never appears in a message.
 */
export async function getJson<T>(
  target: ApiTarget,
  path: string,
  query: Record<string, string | undefined>,
): Promise<T> {
  const url = new URL(`${target.baseUrl}/api/v1${path}`);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' } });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(
      `cannot reach the API at ${target.baseUrl} (--api or REACHLOG_API_URL): ${cause?.code ?? cause?.message ?? (e as Error).message}`,
      1,
    );
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 300);
    try {
      const problem = JSON.parse(text) as { title?: string; detail?: string };
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // Not problem+json (a proxy's page): show its start.
    }
    throw new CliError(`the API answered ${res.status}: ${detail}`, 1);
  }
  return JSON.parse(text) as T;
}
