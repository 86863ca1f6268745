import express, { Router, type Request, type Response } from 'express';
import type { Authenticate } from '../http/auth.js';
import {
  clearSessionCookie,
  csrfTokenFor,
  fromOwnPage,
  sessionSecret,
  setSessionCookie,
} from '../http/session-cookie.js';
import { DASHBOARD_BUILD_DIR, readDashboardManifest } from './dashboard-assets.js';
import { appShell, ASSETS_PATH, DASHBOARD_PATH, notBuiltPage, signInPage } from './pages.js';
import { dashboardHeaders } from './security-headers.js';

export interface DashboardOptions {
  /** The built bundle (default: dist/dashboard). */
  assetsDir?: string;
}

const SIGN_IN = `${DASHBOARD_PATH}/sign-in`;

/** Where to go after signing in: a page of the dashboard only (never another site: no open redirect). */
function pageToReturnTo(value: unknown): string {
  if (typeof value !== 'string') return `${DASHBOARD_PATH}/`;
  const ownPage = value.startsWith(`${DASHBOARD_PATH}/`) && !/[\\\r\n]/.test(value) && value !== SIGN_IN;
  return ownPage ? value : `${DASHBOARD_PATH}/`;
}

/**
 * The web dashboard, before bearer auth: its sign-in and sign-out, its assets, and its pages,
 * which need a session cookie. The data the pages show comes from /api/v1 like any client's,
 * authenticated by that cookie.
 */
export function dashboardRouter(authenticate: Authenticate, options: DashboardOptions = {}): Router {
  const assetsDir = options.assetsDir ?? DASHBOARD_BUILD_DIR;
  // Read per request only while missing: a build made after start-up is picked up.
  let manifest = readDashboardManifest(assetsDir);
  const currentManifest = () => (manifest ??= readDashboardManifest(assetsDir));

  const router = Router();
  router.use(DASHBOARD_PATH, dashboardHeaders);
  router.use(
    ASSETS_PATH,
    express.static(assetsDir, {
      index: false,
      fallthrough: true,
      // Names carry a content hash: a changed file is a new name.
      immutable: true,
      maxAge: '365d',
      setHeaders: (res, path) => {
        if (path.endsWith('manifest.json') || path.endsWith('.map')) res.set('Cache-Control', 'no-cache');
      },
    }),
  );
  router.use(ASSETS_PATH, (_req, res) => void res.status(404).type('text').send('no such asset'));

  router.get('/', (_req, res) => res.redirect(302, `${DASHBOARD_PATH}/`));
  router.get(SIGN_IN, (req, res) => {
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(signInPage(currentManifest(), pageToReturnTo(req.query.next)));
  });

  const form = express.urlencoded({ extended: false, limit: '4kb' });
  router.post(SIGN_IN, form, async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const next = pageToReturnTo(req.body?.next);
    if (!fromOwnPage(req)) {
      return void res
        .status(403)
        .type('html')
        .send(signInPage(currentManifest(), next, 'Sign in from this page.'));
    }
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    const principal = token ? await authenticate(token) : null;
    if (!principal) {
      return void res
        .status(401)
        .type('html')
        .send(signInPage(currentManifest(), next, 'That token is not valid (unknown or revoked).'));
    }
    setSessionCookie(req, res, token);
    res.redirect(303, next);
  });
  router.post(`${DASHBOARD_PATH}/sign-out`, (req, res) => {
    if (!fromOwnPage(req)) return void res.status(403).type('text').send('sign out from the dashboard');
    clearSessionCookie(req, res);
    res.redirect(303, SIGN_IN);
  });

  // Every other path under /dashboard/ is a page of the app, routed in the browser.
  router.get(/^\/dashboard(\/.*)?$/, async (req, res) => {
    // Relative links in the app resolve against /dashboard/.
    if (req.path === DASHBOARD_PATH) return void res.redirect(301, `${DASHBOARD_PATH}/`);
    res.set('Cache-Control', 'no-store');
    const secret = sessionSecret(req);
    const principal = secret ? await authenticate(secret) : null;
    if (!secret || !principal) {
      if (secret) clearSessionCookie(req, res);
      const back = req.originalUrl === `${DASHBOARD_PATH}/` ? '' : `?next=${encodeURIComponent(req.originalUrl)}`;
      return void res.redirect(303, `${SIGN_IN}${back}`);
    }
    const built = currentManifest();
    if (!built) return void res.status(503).type('html').send(notBuiltPage());
    res
      .type('html')
      .send(appShell(built, { name: principal.name, scopes: principal.scopes, csrf: csrfTokenFor(secret) }));
  });
  return router;
}
