import type { RequestHandler } from 'express';

/**
 * The dashboard's pages load only their own bundle and stylesheet and talk only to this origin:
 * no inline script, no eval, no third party, no framing. A script injected through a rendered
 * name would not run.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const dashboardHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': DASHBOARD_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // Not no-referrer: with it, browsers send `Origin: null` on the sign-in form's POST.
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  next();
};
