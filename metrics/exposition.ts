import { timingSafeEqual, createHash } from 'node:crypto';
import type { Registry } from 'prom-client';

/** The text Prometheus scrapes, for whichever server answers `/metrics`. */
export interface MetricsAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * The registry's metrics. Collectors that read Postgres or Redis report a failed read as their
 * `*_up` gauge, so this answers 200 through an outage; 500 only if rendering itself fails.
 */
export async function metricsAnswer(registry: Registry): Promise<MetricsAnswer> {
  try {
    return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
  } catch (e) {
    return {
      status: 500,
      contentType: 'text/plain; charset=utf-8',
      body: `metrics could not be collected: ${(e as Error)?.message ?? String(e)}\n`,
    };
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an `Authorization` header carries the metrics token, compared in constant time. */
export function hasMetricsToken(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}
