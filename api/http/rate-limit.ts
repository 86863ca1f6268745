import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { principalOf } from './auth.js';
import { sendProblem } from './problem.js';
import { redact } from '../../config/redact.js';

export interface RateLimitOptions {
  windowMs: number;
  /** Requests per token per window. */
  limit: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 60_000, limit: 600 };

/**
 * Per token, not per address: tokens are what is handed out, and many clients share a NAT.
 * Counts live in `store` (Redis in a deployment, shared by every API replica), else in this
 * process. A store that fails lets the request through, logged: the limit guards against
 * overuse, it is not access control, and queries should not stop with Redis.
 */
export function perTokenRateLimit(
  options: RateLimitOptions,
  store?: Store,
  log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`),
): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `token:${principalOf(req).tokenId}`,
    ...(store ? { store } : {}),
    passOnStoreError: true,
    logger: {
      error: (e: unknown, message?: string) =>
        log(`rate limit: ${message ?? 'error'}: ${redact(e instanceof Error ? e.message : String(e))}`),
      warn: (e: unknown, message?: string) =>
        log(`rate limit: ${message ?? 'warning'}: ${redact(e instanceof Error ? e.message : String(e))}`),
    },
    handler: (_req, res, _next, opts) => {
      const seconds = Math.ceil(opts.windowMs / 1000);
      sendProblem(res, 'RATE_LIMITED', `more than ${opts.limit} requests in ${seconds} s with this token; retry later`);
    },
  });
}
