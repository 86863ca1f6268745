import { ArgumentError } from '../../arguments/argument-error.js';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ServiceError } from '../services/query-service.js';
import { sendProblem } from './problem.js';
import { redact } from '../../config/redact.js';
import { outageLog } from '../../store/outage-log.js';
import { outageOf } from '../../store/unavailable.js';

/** An error body-parser attaches a status to (`entity.too.large`, `entity.parse.failed`, …). */
interface HttpError {
  status?: number;
  type?: string;
}

/** Unrouted paths: a problem like any other 404. */
export const noRoute: RequestHandler = (req, res) => {
  sendProblem(res, 'NOT_FOUND', `no route ${req.method} ${req.path}`);
};

/**
 * Errors become problem+json: an outage of Postgres or Redis as 503 naming it, a ServiceError by its code, a body-parser error by its status, and
 * anything else a 500 whose detail says nothing of internals (the log gets the message, redacted).
 */
export function errorHandler(log: (line: string) => void): ErrorRequestHandler {
  const outages = outageLog(log);
  return (err: unknown, req, res, _next) => {
    const outage = outageOf(err);
    if (outage) {
      // One line per outage, not a stack per request; the caller is told to come back.
      outages(`${outage.service} unavailable: ${redact(outage.message)}`);
      res.set('Retry-After', '5');
      return sendProblem(res, 'UNAVAILABLE', `${outage.service} is unavailable; retry shortly`, {
        service: outage.service,
      });
    }
    if (err instanceof ServiceError || err instanceof ArgumentError)
      return sendProblem(res, err.code, redact(err.message));
    const status = (err as HttpError).status;
    if (status === 413) return sendProblem(res, 'PAYLOAD_TOO_LARGE', 'the request body is larger than allowed');
    if ((err as HttpError).type === 'entity.parse.failed') {
      return sendProblem(res, 'BAD_USER_INPUT', 'the request body is not valid JSON');
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return sendProblem(res, 'BAD_USER_INPUT', 'the request body could not be read');
    }
    log(`error ${req.method} ${redact(req.originalUrl)}: ${redact((err as Error)?.stack ?? String(err))}`);
    sendProblem(res, 'INTERNAL', 'an internal error occurred; it has been logged');
  };
}
