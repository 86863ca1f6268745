import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { principalOf } from './auth.js';
import { sendProblem } from './problem.js';
import { logToStderr, sharedLimiterOptions } from './limiter-common.js';

export interface RateLimitOptions {
  windowMs: number;
  /** Requests per token per window. */
  limit: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 60_000, limit: 600 };

/**
 * Per token, not per address: tokens are what is handed out, and many clients share a NAT.
 * Counts in Redis are shared by every API replica.
 */
export function perTokenRateLimit(
  options: RateLimitOptions,
  store?: Store,
  log: (line: string) => void = logToStderr,
): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `token:${principalOf(req).tokenId}`,
    ...sharedLimiterOptions('rate limit', store, log),
    handler: (_req, res, _next, opts) => {
      const seconds = Math.ceil(opts.windowMs / 1000);
      sendProblem(res, 'RATE_LIMITED', `more than ${opts.limit} requests in ${seconds} s with this token; retry later`);
    },
  });
}
