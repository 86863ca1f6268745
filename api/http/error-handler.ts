import { ArgumentError } from '../../arguments/argument-error.js';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ServiceError } from '../services/query-service.js';
import { sendProblem } from './problem.js';
import { redact } from '../../config/redact.js';
import { isDataException } from '../../store/db/data-exception.js';

/** An error body-parser attaches a status to (`entity.too.large`, `entity.parse.failed`, …). */
interface HttpError {
  status?: number;
  type?: string;
}

/** What the caller is told when Postgres refused a value no parser caught. */
export const DATA_EXCEPTION_DETAIL = 'a value in the request is out of range or is not valid text';

/** Unrouted paths: a problem like any other 404. */
export const noRoute: RequestHandler = (req, res) => {
  sendProblem(res, 'NOT_FOUND', `no route ${req.method} ${req.path}`);
};

/**
 * Errors become problem+json: a ServiceError by its code, a body-parser error by its status, and
 * anything else a 500 whose detail says nothing of internals (the log gets the message, redacted).
 */
export function errorHandler(log: (line: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof ServiceError || err instanceof ArgumentError)
      return sendProblem(res, err.code, redact(err.message));
    if (isDataException(err)) {
      // Logged without a stack: a parser should have refused this value; the line says which request.
      log(`input refused by postgres (${err.code}) ${req.method} ${redact(req.path)}: ${redact(err.message)}`);
      return sendProblem(res, 'BAD_USER_INPUT', DATA_EXCEPTION_DETAIL);
    }
    // The router could not percent-decode a path segment (`%FF`, `%E0%A4`).
    if (err instanceof URIError) {
      return sendProblem(res, 'BAD_USER_INPUT', 'the request path is not valid percent-encoded UTF-8');
    }
    const { status, type } = err as HttpError;
    if (status === 413) return sendProblem(res, 'PAYLOAD_TOO_LARGE', 'the request body is larger than allowed');
    if (type === 'entity.parse.failed') return sendProblem(res, 'BAD_USER_INPUT', 'the request body is not valid JSON');
    if (status !== undefined && status >= 400 && status < 500) {
      const what = typeof type === 'string' ? 'the request body' : 'the request';
      return sendProblem(res, 'BAD_USER_INPUT', `${what} could not be read`);
    }
    log(`error ${req.method} ${redact(req.originalUrl)}: ${redact((err as Error)?.stack ?? String(err))}`);
    sendProblem(res, 'INTERNAL', 'an internal error occurred; it has been logged');
  };
}
