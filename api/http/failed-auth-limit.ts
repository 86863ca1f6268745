import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { sendProblem } from './problem.js';
import { logToStderr, sharedLimiterOptions } from './limiter-common.js';

export interface FailedAuthLimitOptions {
  windowMs: number;
  /** Requests answered 401 per client address per window; past it, every request from there is 429. */
  limit: number;
}

export const DEFAULT_FAILED_AUTH_LIMIT: FailedAuthLimitOptions = { windowMs: 60_000, limit: 30 };

/**
 * Per client address, counting only requests that fail authentication (401): an address guessing
 * tokens is stopped, and while stopped it cannot tell a right guess from a wrong one (every
 * request is 429 until the window ends). Requests with a valid token do not count. IPv6
 * addresses count by /56, as one client usually holds the whole prefix.
 *
 * A store that fails lets the request through, like the per-token limit: tokens are long random
 * secrets, so the limit guards the database against floods of lookups more than the secrets.
 */
export function failedAuthLimit(
  options: FailedAuthLimitOptions,
  store?: Store,
  log: (line: string) => void = logToStderr,
): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req) => `auth-failed:${ipKeyGenerator(req.ip ?? 'unknown', 56)}`,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    ...sharedLimiterOptions('failed-auth limit', store, log),
    handler: (_req, res, _next, opts) => {
      const seconds = Math.ceil(opts.windowMs / 1000);
      sendProblem(
        res,
        'RATE_LIMITED',
        `more than ${opts.limit} requests with a missing or invalid token from this address in ${seconds} s; retry later`,
      );
    },
  });
}
