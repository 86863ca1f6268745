import type { Principal } from '../services/query-service.js';
import type { DashboardManifest } from './dashboard-assets.js';

export const DASHBOARD_PATH = '/dashboard';
export const ASSETS_PATH = `${DASHBOARD_PATH}/assets`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, manifest: DashboardManifest | null, body: string, head = ''): string {
  const stylesheet = manifest ? `<link rel="stylesheet" href="${ASSETS_PATH}/${manifest.stylesheet}" />` : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="data:," />
    ${stylesheet}${head}
  </head>
  <body>
${body}
  </body>
</html>
`;
}

/** A form, no script: signing in works before the bundle loads, and without it. */
export function signInPage(manifest: DashboardManifest | null, next: string, error?: string): string {
  const problem = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  return layout(
    'Sign in · reachlog',
    manifest,
    `    <main class="sign-in">
      <h1>reachlog</h1>
      <p>Sign in with an API token (<code>reachlog token create NAME</code> prints one).</p>
      ${problem}
      <form method="post" action="${DASHBOARD_PATH}/sign-in">
        <label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="off" required autofocus />
        <input type="hidden" name="next" value="${escapeHtml(next)}" />
        <button type="submit">Sign in</button>
      </form>
    </main>`,
  );
}

/** What the page needs to know about its session, read from the HTML it came in (no extra round trip). */
export interface SessionInfo {
  name: string;
  scopes: Principal['scopes'];
  /** Sent back as the x-csrf-token header on writes. */
  csrf: string;
}

/** JSON inside a script element: `<` escaped so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The single-page app's shell: its bundle renders every page under /dashboard/ from the URL. */
export function appShell(manifest: DashboardManifest, session: SessionInfo): string {
  return layout(
    'reachlog',
    manifest,
    `    <div id="app"><p class="loading">Loading…</p></div>
    <script type="application/json" id="session">${scriptJson(session)}</script>`,
    `\n    <script type="module" src="${ASSETS_PATH}/${manifest.script}"></script>`,
  );
}

/** Said instead of a blank page when `npm run build` has not built the bundle. */
export function notBuiltPage(): string {
  return layout(
    'reachlog: dashboard not built',
    null,
    `    <main><h1>The dashboard is not built</h1><p>Run <code>npm run build</code> (npm ci runs it too), then reload.</p></main>`,
  );
}
