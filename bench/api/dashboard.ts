/**
 * The web dashboard on the benchmark history (bench/api/build-history.ts: the simulated 10k-pod
 * cluster): each page loaded in headless Chromium (Debian's, through playwright-core) against the
 * API in its own process (server-entry.ts, clock pinned a minute after the last snapshot), signed
 * in as a read token. Per page: time from navigation to its answers drawn (the first load after
 * the API starts, cold, then warm repeats), and every /api/v1 request the page made, timed by the
 * browser (request sent to response end). Targets: first page interactive under 1 s, requests
 * under 200 ms at p95.
 *
 *   node --import tsx bench/api/dashboard.ts [--database-url URL|NAME] [--runs 7]
 *
 * The table goes to stdout and bench/out/dashboard-results.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { chromium, type Page } from 'playwright-core';
import { env } from '../../config/env.js';
import { createPool } from '../../store/db/pool.js';
import { TokensRepository } from '../../store/tokens.repository.js';
import { HISTORY_FILE, type HistoryInfo } from './history-info.js';

const { values: args } = parseArgs({
  options: { 'database-url': { type: 'string' }, runs: { type: 'string', default: '7' } },
});
const runs = Number(args.runs);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const OUT = here('../out/dashboard-results.md');
const SERVER_LOG = here('../out/dashboard-server.log');
const CHROMIUM = '/usr/bin/chromium';
const FIRST_PAGE_MS = 1000;
const REQUEST_P95_MS = 200;

function withDatabase(name: string): string {
  const u = new URL(env().databaseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
const info = existsSync(HISTORY_FILE) ? (JSON.parse(readFileSync(HISTORY_FILE, 'utf8')) as HistoryInfo) : undefined;
const given = args['database-url'];
const url = given && !given.includes('://') ? withDatabase(given) : (given ?? info?.url);
if (!url) throw new Error('no history database: run bench/api/build-history.ts first or pass --database-url');
if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);

// What the database holds (build-history may have been stopped early: read it, do not trust the file).
const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows: stat } = await client.query<{ name: string; n: string; first: Date; last: Date }>(
  `SELECT c.name, count(s.id) AS n, min(s.taken_at) AS first, max(s.taken_at) AS last
     FROM cluster c JOIN snapshot s ON s.cluster_id = c.id GROUP BY c.name`,
);
const { rows: sizes } = await client.query<{ pods: string; workloads: string }>(
  `SELECT (SELECT count(*) FROM current_pod) AS pods,
          (SELECT count(*) FROM reach_version WHERE kind = 'workload' AND valid_to IS NULL) AS workloads`,
);
await client.end();
const history = stat[0]!;
const spanMs = history.last.getTime() - history.first.getTime();
const now = new Date(history.last.getTime() + 60_000);
// 7 days back when the history is that long, else all of it.
const since = spanMs >= 7 * 86_400_000 ? '7d' : `${Math.floor((spanMs + 60_000) / 60_000)}m`;
const cluster = history.name;

const tokenPool = createPool(url);
const { secret: token } = await new TokensRepository(tokenPool).create(`bench-dashboard-${process.pid}`, 'read', null);
await tokenPool.end();

mkdirSync(here('../out'), { recursive: true });
const child: ChildProcess = spawn(
  process.execPath,
  ['--import', 'tsx', here('server-entry.ts'), url, now.toISOString()],
  { stdio: ['pipe', 'pipe', openSync(SERVER_LOG, 'a')] },
);
const base = await new Promise<string>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`API exited with ${code}; see ${SERVER_LOG}`)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const m = /^LISTENING (\S+)/.exec(line);
    if (m) resolve(m[1]!);
  });
});

/** The busiest target (most sources) of a sample of workloads, asked over plain HTTP before the pages. */
async function chooseTarget(): Promise<string> {
  const get = async (path: string) =>
    (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<unknown>;
  const q = encodeURIComponent;
  const listed = (await get(`/api/v1/clusters/${q(cluster)}/workloads?limit=1000`)) as { items: { id: string }[] };
  const sample = listed.items.filter((_, i) => i % Math.ceil(listed.items.length / 25) === 0);
  let best = { id: sample[0]!.id, entries: -1 };
  for (const w of sample) {
    const a = (await get(`/api/v1/clusters/${q(cluster)}/who-can-reach?target=${q(w.id)}`)) as {
      entries?: { items: unknown[] };
    };
    const entries = a.entries?.items.length ?? 0;
    if (entries > best.entries) best = { id: w.id, entries };
  }
  return best.id;
}

interface PageSpec {
  name: string;
  path: string;
  /** After the page's answers are drawn: a click that asks one more (the explanation, a cell). */
  then?: (page: Page) => Promise<void>;
  /** What shows the page is drawn, when not ANSWERS_SHOWN. */
  shown?: string;
}

/** What shows a page's answers: a table, a list, the stats or an error. */
const ANSWERS_SHOWN = 'main table, main ol.timeline, main p.error, main .stats';

/** The page has drawn its answers: nothing loading, and `shown` (by default ANSWERS_SHOWN) on the page. */
const drawn = (page: Page, shown = ANSWERS_SHOWN) =>
  page.waitForFunction(
    (selector: string) => {
      // A function, not a string: the page's CSP forbids eval, and Playwright calls functions from outside it.
      const d = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      return !d.querySelector('.loading, [aria-busy="true"]') && d.querySelector(selector) !== null;
    },
    shown,
    { timeout: 60_000 },
  );

/** CPU time (user + system) the API process has used so far, from /proc (Linux). */
function apiCpuMs(): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Measured {
  name: string;
  /** The API's CPU time over the page's loads (cold and warm). */
  apiCpuMs: number;
  coldMs: number;
  warmMs: number[];
  requests: { path: string; ms: number }[];
}

// The whole history, in whole days (the report's period).
const reportFrom = `${Math.max(1, Math.round(spanMs / 86_400_000))}d`;
const reportRuns: { ms: number; bytes: number }[] = [];
const loadAtStart = loadavg();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
const results: Measured[] = [];
try {
  const target = await chooseTarget();
  const c = encodeURIComponent(cluster);
  const pages: PageSpec[] = [
    { name: 'overview (first page)', path: `/dashboard/?cluster=${c}&since=${since}` },
    { name: 'timeline', path: `/dashboard/timeline?cluster=${c}&since=${since}` },
    {
      name: 'who can reach, since; then an explanation',
      path: `/dashboard/reach?cluster=${c}&target=${encodeURIComponent(target)}&since=${since}`,
      then: async (page) => {
        await page.locator('table.entries button.link').first().click();
        await page.locator('#explain-heading').waitFor();
        await drawn(page);
      },
    },
    {
      name: 'namespace matrix; then a cell',
      path: `/dashboard/matrix?cluster=${c}`,
      then: async (page) => {
        await page.locator('td.cell button').first().click();
        await page.locator('#cell-heading').waitFor();
        await drawn(page);
      },
    },
    // The reports page asks nothing until a report is run (timed apart below: its target is 5 s, not 200 ms).
    { name: 'reports (the form)', path: `/dashboard/reports?cluster=${c}`, shown: 'main form.query' },
    {
      name: 'alerts (rules and silences)',
      path: `/dashboard/alerts?cluster=${c}`,
      shown: 'main div[aria-busy="false"] ~ div[aria-busy="false"], main p.error',
    },
  ];

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/dashboard/sign-in`);
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/dashboard\/$/);
  await page.goto('about:blank');

  let requests: { path: string; ms: number }[] = [];
  page.on('requestfinished', (request) => {
    const u = new URL(request.url());
    if (!u.pathname.startsWith('/api/v1/')) return;
    requests.push({ path: u.pathname.split('/').slice(4).join('/') || u.pathname, ms: request.timing().responseEnd });
  });

  for (const spec of pages) {
    const times: number[] = [];
    requests = [];
    const cpuBefore = apiCpuMs();
    for (let i = 0; i <= runs; i++) {
      await page.goto('about:blank');
      const started = performance.now();
      await page.goto(`${base}${spec.path}`);
      await drawn(page, spec.shown);
      times.push(performance.now() - started);
      await spec.then?.(page).catch(async (e: unknown) => {
        await page.screenshot({ path: here('../out/dashboard-failed.png'), fullPage: false });
        throw e;
      });
    }
    results.push({
      name: spec.name,
      apiCpuMs: apiCpuMs() - cpuBefore,
      coldMs: times[0]!,
      warmMs: times.slice(1),
      requests,
    });
    console.error(`${spec.name}: cold ${times[0]!.toFixed(0)} ms`);
  }
  // What the reports page's link downloads, over the whole history: a report run, not a page's question.
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    const res = await fetch(`${base}/api/v1/clusters/${c}/reports/exposure?from=${reportFrom}&format=json`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const bytes = (await res.arrayBuffer()).byteLength;
    if (!res.ok) throw new Error(`exposure report: HTTP ${res.status}`);
    reportRuns.push({ ms: performance.now() - started, bytes });
  }
} finally {
  await browser.close();
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms` : '—');
const all = results.flatMap((r) => r.requests.map((q) => q.ms));
const first = results[0]!;
const lines = [
  `Load average (1/5/15 min) at the start ${loadAtStart.map((l) => l.toFixed(1)).join(' / ')}, ` +
    `at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}.`,
  `History: ${cluster}, ${history.n} snapshots over ${(spanMs / 86_400_000).toFixed(2)} days, ${sizes[0]!.pods} pods, ` +
    `${sizes[0]!.workloads} workloads; since = ${since}; ${runs} warm runs per page after the cold one.`,
  '',
  '| Page | Cold load | Warm median | Warm max | API requests | Request p50 | Request p95 | Request max | API CPU, all loads |',
  '|:--|--:|--:|--:|--:|--:|--:|--:|--:|',
  ...results.map((r) => {
    const q = r.requests.map((x) => x.ms);
    return `| ${r.name} | ${ms(r.coldMs)} | ${ms(quantile(r.warmMs, 0.5))} | ${ms(Math.max(...r.warmMs))} | ${q.length} | ${ms(quantile(q, 0.5))} | ${ms(quantile(q, 0.95))} | ${ms(Math.max(...q))} | ${ms(r.apiCpuMs)} |`;
  }),
  '',
  `First page interactive: cold ${ms(first.coldMs)}, warm median ${ms(quantile(first.warmMs, 0.5))} ` +
    `(target < ${FIRST_PAGE_MS} ms: ${first.coldMs < FIRST_PAGE_MS ? 'PASS' : 'FAIL'}); ` +
    `every API request p95 ${ms(quantile(all, 0.95))} over ${all.length} (target < ${REQUEST_P95_MS} ms: ` +
    `${quantile(all, 0.95) < REQUEST_P95_MS ? 'PASS' : 'FAIL'}).`,
  '',
  `The reports page's download, exposure over ${reportFrom} as JSON (not counted above; target < 5 s): ` +
    `${reportRuns.map((r) => ms(r.ms)).join(', then ')} (${(reportRuns[0]!.bytes / 2 ** 20).toFixed(1)} MiB).`,
  '',
  'Slowest requests:',
  ...results
    .flatMap((r) => r.requests)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((r) => `- ${r.path}: ${ms(r.ms)}`),
];
writeFileSync(OUT, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
process.exit(0);
