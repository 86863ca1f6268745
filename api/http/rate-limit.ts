import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { principalOf } from './auth.js';
import { sendProblem } from './problem.js';

export interface RateLimitOptions {
  windowMs: number;
  /** Requests per token per window. */
  limit: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 60_000, limit: 600 };

/**
 * Per token, not per address: tokens are what is handed out, and many clients share a NAT.
 * Counts live in this process (one API replica; several would need a shared store).
 */
export function perTokenRateLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `token:${principalOf(req).tokenId}`,
    handler: (_req, res, _next, opts) => {
      const seconds = Math.ceil(opts.windowMs / 1000);
      sendProblem(res, 'RATE_LIMITED', `more than ${opts.limit} requests in ${seconds} s with this token; retry later`);
    },
  });
}
