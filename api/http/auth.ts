import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Principal, Scope } from '../services/query-service.js';
import { ServiceError } from '../services/query-service.js';
import { sendProblem } from './problem.js';
import { CSRF_HEADER, csrfTokenMatches, sessionSecret } from './session-cookie.js';

/** Finds the principal a bearer secret stands for; null when unknown or revoked. */
export type Authenticate = (secret: string) => Promise<Principal | null>;

const principals = new WeakMap<Request, Principal>();

/** The principal the auth middleware found for this request (REST handlers and GraphQL context). */
export function principalOf(req: Request): Principal {
  const p = principals.get(req);
  if (!p) throw new ServiceError('UNAUTHENTICATED', 'no bearer token');
  return p;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Methods that change nothing: a cookie-authenticated request needs no CSRF token for them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `Authorization: Bearer <secret>` on every request it guards, or else the dashboard's session
 * cookie (the same secret): 401 (with `WWW-Authenticate`) when absent, malformed, unknown or
 * revoked. Which of these it was is not said: it would tell a guesser that a secret once
 * existed. A write authenticated by the cookie alone must also carry the session's CSRF token
 * (403 without it): a browser attaches cookies to requests other sites make it send.
 */
export function bearerAuth(authenticate: Authenticate): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const cookie = header ? undefined : sessionSecret(req);
    if (!header && !cookie) return sendProblem(res, 'UNAUTHENTICATED', 'send Authorization: Bearer <token>');
    const secret = header ? BEARER.exec(header)?.[1] : cookie;
    const principal = secret ? await authenticate(secret) : null;
    if (!principal) return sendProblem(res, 'UNAUTHENTICATED', 'the bearer token is not valid (unknown or revoked)');
    if (cookie && !SAFE_METHODS.has(req.method) && !csrfTokenMatches(cookie, req.get(CSRF_HEADER))) {
      return sendProblem(res, 'FORBIDDEN', `a write from the dashboard session needs its ${CSRF_HEADER} header`);
    }
    principals.set(req, principal);
    next();
  };
}

/** 403 unless the request's token has the scope. */
export function requireScope(scope: Scope): RequestHandler {
  return (req, res, next) => {
    if (!principalOf(req).scopes.includes(scope)) {
      return sendProblem(res, 'FORBIDDEN', `this needs a token with the ${scope} scope`);
    }
    next();
  };
}
