import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';

/**
 * The dashboard's session: the token's own secret in an HttpOnly cookie, so a signed-in browser
 * is authenticated exactly like a bearer client (revoking the token ends the session at once,
 * and any API replica can check it: nothing is kept server-side).
 */
export const SESSION_COOKIE = 'reachlog_session';

/** Header a cookie-authenticated write must carry (the page reads the value from its own HTML). */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Secure when the browser talks https to us, directly or through a proxy that says so: the
 * cookie must not travel in clear text once it has been set over TLS.
 */
function overHttps(req: Request): boolean {
  const forwarded = req.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return req.secure || forwarded === 'https';
}

function cookieOptions(req: Request): CookieOptions {
  // No Max-Age: a browser session; SameSite=Strict keeps it off every cross-site request.
  return { httpOnly: true, sameSite: 'strict', secure: overHttps(req), path: '/' };
}

export function setSessionCookie(req: Request, res: Response, secret: string): void {
  res.cookie(SESSION_COOKIE, secret, cookieOptions(req));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

/** The session cookie's value, if the request carries one (no cookie-parser: this is the one cookie read). */
export function sessionSecret(req: Request): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The CSRF token of a session: derived from the secret, so it needs no storage, differs per
 * token, and cannot be computed by a page that does not know the secret (which the HttpOnly
 * cookie hides from every script, the dashboard's own included).
 */
export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update('reachlog dashboard csrf v1').digest('base64url');
}

export function csrfTokenMatches(secret: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(secret));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Whether a browser sent this from one of our own pages: Origin (sent with every POST by
 * current browsers) must name this host, and Sec-Fetch-Site, when present, must be same-origin.
 * Guards sign-in and sign-out, which have no session (or CSRF token) to check yet.
 */
export function fromOwnPage(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = req.get('origin');
  // `null`: a privacy-minded browser hid it; then Sec-Fetch-Site (which it cannot be asked to fake) decides.
  if (origin === undefined || origin === 'null') return site === 'same-origin';
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}
