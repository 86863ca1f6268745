import type { RequestHandler } from 'express';
import { sendProblem } from './problem.js';

/**
 * 414 for a request target longer than `maxBytes`, before anything parses it. (Node itself
 * answers 431 for a request line beyond its header limit, 16 KiB by default.)
 */
export function maxUrlLength(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const length = Buffer.byteLength(req.originalUrl, 'utf8');
    if (length > maxBytes)
      return sendProblem(res, 'URI_TOO_LONG', `the request URI has ${length} bytes; at most ${maxBytes}`);
    next();
  };
}

/**
 * 503 when no answer is ready within `ms`. The work goes on (a query is not cancellable), but
 * its late answer is dropped: every sender checks `headersSent` first.
 */
export function requestTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => sendProblem(res, 'TIMEOUT', `no answer within ${ms} ms; narrow the query`), ms);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}
