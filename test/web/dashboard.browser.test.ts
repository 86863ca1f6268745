import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DASHBOARD_BUILD_DIR, readDashboardManifest } from '../../api/web/dashboard-assets.js';
import { daysAgo } from '../api/demo-history.js';
import { newKeyPair } from '../../api/services/reports/signing.js';
import { runCliAsync } from '../cli/run-cli.js';
import { startDemoApi, type DemoApi } from '../support/demo-api.js';
import { startTestReportWorker, type TestReportWorker } from '../support/report-worker.js';
import { CHROMIUM, hasChromium, launchChromium, screenshot, seriousViolations } from './browser.js';

if (!hasChromium) {
  // Said once per run, so a green `npm test` without a browser does not pass for a tested dashboard.
  console.warn(
    `SKIPPING the dashboard's browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`,
  );
}

/**
 * The dashboard in a real browser (headless Debian Chromium driven by playwright-core), over
 * the real API and the demo history: what an auditor does on the demo, page by page, each
 * page screenshotted (test-results/dashboard/) and checked with axe-core.
 */
describe.skipIf(!hasChromium)('the dashboard in Chromium, on the demo history', () => {
  let demo: DemoApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let worker: TestReportWorker;
  const pageErrors: string[] = [];
  // The API signs what it serves; the test checks the signatures as an auditor would, with the CLI.
  const keys = newKeyPair();
  const savedKey = process.env.REACHLOG_REPORT_SIGNING_KEY;
  const downloads = mkdtempSync(join(tmpdir(), 'reachlog-dashboard-'));

  /**
   * Saves a report through its dashboard link, and the signature the page then offers beside
   * it (the API's X-Reachlog-Signature header, which a browser's own download would drop) as
   * FILE.sig; then checks them as an auditor would, with `reachlog report verify FILE` and the
   * public key only.
   */
  async function downloadAndVerify(link: Locator, file: string) {
    const [saved] = await Promise.all([page.waitForEvent('download'), link.click()]);
    await saved.saveAs(file);
    const signatureLink = link.locator('xpath=..').getByRole('link', { name: /its signature/ });
    const [signature] = await Promise.all([page.waitForEvent('download'), signatureLink.click()]);
    expect(signature.suggestedFilename()).toBe(`${saved.suggestedFilename()}.sig`);
    await signature.saveAs(`${file}.sig`);
    const { REACHLOG_REPORT_SIGNING_KEY: _private, ...env } = process.env;
    return runCliAsync(['report', 'verify', file], { ...env, REACHLOG_REPORT_PUBLIC_KEY: keys.publicKey });
  }

  beforeAll(async () => {
    if (!readDashboardManifest(DASHBOARD_BUILD_DIR)) throw new Error('no dashboard bundle: run `npm run build` first');
    process.env.REACHLOG_REPORT_SIGNING_KEY = keys.privateKey;
    demo = await startDemoApi();
    worker = await startTestReportWorker(demo.history.pool, demo.redisUrl, { signingKey: keys.privateKey });
    const added = await fetch(`${demo.url}/api/v1/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'weekly-exposure',
        type: 'exposure',
        clusters: ['demo'],
        period: '7d',
        formats: ['md'],
      }),
    });
    if (added.status !== 201) throw new Error(`could not add the stored report: ${await added.text()}`);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // A CSP violation is a console error: the page must need nothing its policy forbids.
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await demo?.close();
    if (savedKey === undefined) delete process.env.REACHLOG_REPORT_SIGNING_KEY;
    else process.env.REACHLOG_REPORT_SIGNING_KEY = savedKey;
    rmSync(downloads, { recursive: true, force: true });
  });

  test('a wrong token is refused on the sign-in page; the right one signs in with an HttpOnly, SameSite=Strict cookie', async () => {
    await page.goto(`${demo.url}/dashboard/`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await screenshot(page, '01-sign-in');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Token').fill('rl_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');

    await page.getByLabel('Token').fill(demo.readToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'reachlog_session', httpOnly: true, sameSite: 'Strict', secure: false });
    // The page's scripts cannot read it.
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  test('the overview shows the cluster, its exposure and the trend', async () => {
    await page.getByRole('heading', { name: 'demo: exposure' }).waitFor();
    await page.getByText('workloads open to outside addresses').waitFor();
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('Connections changed in the last 7d');
    await expect.poll(() => main.textContent()).toContain('connections added');
    await screenshot(page, '02-overview');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('who can reach db/postgres since 7 days: analytics and 0.0.0.0/0 were added five days ago by db/postgres-debug-access', async () => {
    await page.getByRole('link', { name: 'Who can reach' }).click();
    await page.getByLabel('Workload, selector or service').fill('db/postgres[StatefulSet]');
    await page.getByLabel('Changes since').fill('7d');
    await page.getByRole('button', { name: 'Ask' }).click();

    const changes = page.locator('table.changes tbody tr');
    await changes.first().waitFor();
    const rows = await changes.allTextContents();
    const fiveDaysAgo = daysAgo(5).slice(0, 10);
    const analytics = rows.find((r) => r.includes('analytics/reports[Deployment]'));
    expect(analytics).toContain('added');
    expect(analytics).toContain(fiveDaysAgo);
    expect(analytics).toContain('NetworkPolicy db/postgres-debug-access');
    const world = rows.filter((r) => r.includes('0.0.0.0/0'));
    expect(world.length).toBeGreaterThan(0);
    for (const row of world) {
      expect(row).toContain('added');
      expect(row).toContain(fiveDaysAgo);
      expect(row).toContain('NetworkPolicy db/postgres-debug-access');
    }
    // The entries gained since then are highlighted.
    const highlighted = await page.locator('table.entries tr.highlight').allTextContents();
    expect(highlighted.some((r) => r.includes('analytics/reports[Deployment]'))).toBe(true);
    await screenshot(page, '03-who-can-reach');
    expect(await seriousViolations(page)).toEqual([]);

    await page
      .getByRole('row', { name: /analytics\/reports/ })
      .first()
      .getByRole('button', { name: 'Explain' })
      .click();
    const panel = page.getByRole('region', {
      name: /Why analytics\/reports\[Deployment\] → db\/postgres\[StatefulSet\]/,
    });
    await panel.waitFor();
    await expect.poll(() => panel.textContent()).toContain('db/postgres-debug-access');
    expect(await panel.textContent()).toContain('allowed');
    expect(await panel.textContent()).toContain('TCP 5432');
    await screenshot(page, '04-explanation');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the timeline lists exposure changes with their causes, filtered by kind', async () => {
    await page.getByRole('link', { name: 'Timeline' }).click();
    const events = page.locator('li.event');
    await events.first().waitFor();
    await page.getByLabel('Kind of change').selectOption('added');
    await expect.poll(async () => (await events.allTextContents()).every((t) => t.includes('added'))).toBe(true);
    const texts = await events.allTextContents();
    expect(
      texts.some((t) => t.includes('analytics/reports[Deployment]') && t.includes('db/postgres-debug-access')),
    ).toBe(true);
    // The timeline's last step: the platform team's AdminNetworkPolicy closes what api-ingress opened.
    await page.getByLabel('Kind of change').selectOption('removed');
    await expect
      .poll(async () =>
        (await events.allTextContents()).some(
          (t) => t.includes('storefront/web[Deployment]') && t.includes('AdminNetworkPolicy pci-payments'),
        ),
      )
      .toBe(true);
    await page.getByLabel('Kind of change').selectOption('added');
    await screenshot(page, '05-timeline');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the namespace matrix: a cell opens its workload pairs', async () => {
    await page.getByRole('link', { name: 'Matrix' }).click();
    await page.getByRole('button', { name: /^analytics to db: 1 of/ }).click();
    const pairs = page.getByRole('region', { name: /analytics → db/ });
    await pairs.waitFor();
    await expect.poll(() => pairs.textContent()).toContain('db/postgres[StatefulSet]');
    expect(await pairs.textContent()).toContain('TCP 5432');
    await screenshot(page, '06-matrix');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('reports: the exposure report of the last 7 days downloads as a PDF that names the exposed database', async () => {
    await page.getByRole('link', { name: 'Reports', exact: true }).first().click();
    await page.getByLabel('From').fill('7d');
    await page.getByRole('button', { name: 'Choose' }).click();
    const link = page.getByRole('link', { name: /Download the exposure report of demo \(PDF\)/ });
    await expect.poll(() => link.getAttribute('href')).toContain('from=7d');
    await screenshot(page, '07-reports');
    expect(await seriousViolations(page)).toEqual([]);
    const pdf = join(downloads, 'exposure.pdf');
    // The file the browser saved is the one the API signed: `reachlog report verify` says so.
    const verified = await downloadAndVerify(link, pdf);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('db/postgres[StatefulSet]');
    expect(text).toContain('0.0.0.0/0');
    expect(verified.stdout + verified.stderr).toMatch(/exposure\.pdf: verified, signed by key [0-9a-f]{64}/);
    expect(verified.status).toBe(0);
  }, 60_000);

  test('reports: a read token sees the stored reports but no button to run them', async () => {
    const table = page.getByRole('table', { name: /Stored reports over demo/ });
    await table.waitFor();
    expect(await table.textContent()).toContain('weekly-exposure');
    expect(await table.textContent()).toContain('running them needs an admin token');
    expect(await page.getByRole('button', { name: /Run weekly-exposure now/ }).count()).toBe(0);
  });

  test('alerts: a read token sees the rules and silences, read-only', async () => {
    await page.getByRole('link', { name: 'Alerts', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Alert rules' }).waitFor();
    await expect.poll(() => page.getByRole('main').textContent()).toContain('No alert rule watches demo.');
    expect(await page.getByRole('main').textContent()).toContain('Nothing is silenced.');
    await screenshot(page, '08-alerts');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('no page broke its Content-Security-Policy or threw', () => {
    expect(pageErrors).toEqual([]);
  });

  test('signing out ends the session: the API refuses the browser afterwards', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/dashboard\/sign-in$/);
    expect(await context.cookies()).toEqual([]);
    const status = await page.evaluate(async () => (await fetch('/api/v1/clusters')).status);
    expect(status).toBe(401);
  });

  test('reports: an admin runs a stored report; the page follows the queued run until its signed file downloads', async () => {
    await page.getByLabel('Token').fill(demo.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Reports', exact: true }).first().click();
    await page.getByRole('button', { name: 'Run weekly-exposure now' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Run #\d+ of weekly-exposure/ });
    await status.waitFor();
    // queued → running → done, asked every second by the page itself.
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/: done$/);
    const link = page.getByRole('link', { name: 'Download weekly-exposure of demo (MD)' });
    await screenshot(page, '09-report-run');
    expect(await seriousViolations(page)).toEqual([]);
    const md = join(downloads, 'weekly-exposure.md');
    const verified = await downloadAndVerify(link, md);
    expect(verified.status, verified.stderr).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
