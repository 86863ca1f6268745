import type { RequestHandler } from 'express';
import { ipKeyGenerator, MemoryStore, type Options, type Store } from 'express-rate-limit';
import { logToStderr, storeFailureLogger } from './limiter-common.js';
import { sendProblem } from './problem.js';

export interface FailedAuthLimitOptions {
  windowMs: number;
  /** Requests answered 401 per client address per window; past it, every request from there is 429. */
  limit: number;
}

export const DEFAULT_FAILED_AUTH_LIMIT: FailedAuthLimitOptions = { windowMs: 60_000, limit: 30 };

/**
 * Per client address, counting only requests answered 401: an address guessing tokens is
 * stopped, and while stopped it cannot tell a right guess from a wrong one (every request is
 * 429 until the window ends). IPv6 addresses count by /56, as one client usually holds the
 * whole prefix.
 *
 * A 401 is counted when it is sent, and a request only reads the count. (Counting every request
 * on arrival and taking valid ones back when answered — express-rate-limit's
 * skipSuccessfulRequests — counted requests in flight: 30 slow valid requests from one address,
 * an ingress or a NAT, locked it out, and a take-back lost while Redis blinked stayed counted for
 * the window. The chaos bench saw 429s for valid tokens that way.) Guesses sent all at once can
 * pass the check together before their 401s are counted: by as many as are in flight.
 *
 * A store that fails lets the request through, logged, like the per-token limit: tokens are long
 * random secrets, so the limit guards the database against floods of lookups more than the secrets.
 */
export function failedAuthLimit(
  options: FailedAuthLimitOptions,
  store: Store = new MemoryStore(),
  log: (line: string) => void = logToStderr,
): RequestHandler {
  void store.init?.({ windowMs: options.windowMs } as Options);
  const failed = storeFailureLogger('failed-auth limit', log);
  const seconds = Math.ceil(options.windowMs / 1000);
  return async (req, res, next) => {
    const key = `auth-failed:${ipKeyGenerator(req.ip ?? 'unknown', 56)}`;
    let hits = 0;
    try {
      hits = (await store.get?.(key))?.totalHits ?? 0;
    } catch (e) {
      failed(e);
    }
    if (hits >= options.limit) {
      sendProblem(
        res,
        'RATE_LIMITED',
        `more than ${options.limit} requests with a missing or invalid token from this address in ${seconds} s; retry later`,
      );
      return;
    }
    res.on('finish', () => {
      if (res.statusCode === 401) Promise.resolve(store.increment(key)).catch((e: unknown) => failed(e));
    });
    next();
  };
}
