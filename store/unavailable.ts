/**
 * Telling "a store is down" from "this request is wrong": a connection refused, reset or
 * terminated (Postgres restarting: 57P01) is an outage every caller should see as 503 and retry,
 * not an internal error with a stack in the log.
 */

export type StoreService = 'postgres' | 'redis';

/** A dependency does not answer now; the request may be retried once it is back. */
export class StoreUnavailableError extends Error {
  constructor(
    readonly service: StoreService,
    message: string,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** Socket-level failures: nothing listens, the peer went away, the network did. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Postgres's own codes for "not now": connection exceptions (class 08), shutdown and
 * crash-recovery (57P01-57P03), too many connections (53300).
 */
function postgresNotNow(code: string): boolean {
  return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);
}

/** node-postgres's words for a connection that ended under a query or never opened in time. */
const PG_MESSAGES = [
  /^Connection terminated/,
  /not queryable/,
  /timeout exceeded when trying to connect/,
  /^Client was closed/,
  /the database system is (starting up|shutting down|in recovery mode)/,
];

/**
 * The error a Postgres query failed with, as an outage if it is one. Errors from a pg client
 * or pool only: it does not tell Postgres from Redis by itself (both refuse connections alike).
 */
export function postgresOutage(e: unknown): StoreUnavailableError | undefined {
  if (e instanceof StoreUnavailableError) return e.service === 'postgres' ? e : undefined;
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const outage =
    (typeof code === 'string' && (SOCKET_CODES.has(code) || postgresNotNow(code))) ||
    PG_MESSAGES.some((m) => m.test(text)) ||
    // AggregateError (Node's happy eyeballs) carries the refused attempts inside.
    (e instanceof AggregateError && e.errors.some((inner) => postgresOutage(inner) !== undefined));
  return outage
    ? new StoreUnavailableError('postgres', `postgres is unavailable (${text || String(code)})`)
    : undefined;
}

/** The service named by an outage error, whichever store raised it. */
export function outageOf(e: unknown): StoreUnavailableError | undefined {
  return e instanceof StoreUnavailableError ? e : postgresOutage(e);
}
