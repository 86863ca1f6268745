import type { Response } from 'express';
import type { ServiceErrorCode } from '../services/query-service.js';

/** Codes the HTTP edge adds to the service's own. */
export type ProblemCode =
  | ServiceErrorCode
  | 'PAYLOAD_TOO_LARGE'
  | 'URI_TOO_LONG'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'NOT_READY'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** RFC 9457 problem details, with reachlog's error code (the same one GraphQL reports). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS: Record<ProblemCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  TIMEOUT: 503,
  NOT_READY: 503,
  UNAVAILABLE: 503,
};

const TITLE: Record<ProblemCode, string> = {
  BAD_USER_INPUT: 'Bad input',
  UNAUTHENTICATED: 'Unauthenticated',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  PAYLOAD_TOO_LARGE: 'Request body too large',
  URI_TOO_LONG: 'Request URI too long',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal error',
  TIMEOUT: 'Timed out',
  NOT_READY: 'Not ready',
  UNAVAILABLE: 'Service unavailable',
};

export function statusOf(code: ProblemCode): number {
  return STATUS[code];
}

export function problem(code: ProblemCode, detail: string, extensions: Record<string, unknown> = {}): Problem {
  return {
    type: `urn:reachlog:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLE[code],
    status: STATUS[code],
    detail,
    code,
    ...extensions,
  };
}

/** Sends a problem unless a response has gone out already (a timed-out request's late answer). */
export function sendProblem(
  res: Response,
  code: ProblemCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): void {
  if (res.headersSent) return;
  const body = problem(code, detail, extensions);
  if (code === 'UNAUTHENTICATED') res.set('WWW-Authenticate', 'Bearer realm="reachlog"');
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
