/**
 * API latency under load: who-can-reach with `since` and explain, on the history database
 * build-history.ts filled (the growth benchmark's simulated medium cluster), at a fixed rate from
 * a separate process (bench/api/load.ts: an open-loop paced generator, and autocannon) against
 * the API in another (bench/api/server-entry.ts), with the answer cache on and off; requests go
 * to the --targets busiest targets in turn. Target: p99 under 50 ms.
 *
 *   node --import tsx bench/api/build-history.ts --days 30     # once: the history (about 1.5 h)
 *   node --import tsx bench/api/latency.ts [--rate 200] [--seconds 20] [--warmup 3] [--targets 20]
 *                                          [--connections 50] [--database-url URL|NAME] [--no-profile]
 *
 * A run whose p99 misses the target is repeated with the API under V8's profiler; the top
 * functions by self time go into the report. The table goes to stdout and bench/out/api-results.md. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { env } from '../../config/env.js';
import { createPool } from '../../store/db/pool.js';
import { TokensRepository } from '../../store/tokens.repository.js';
import { busyShare, topFunctions } from './cpu-profile.js';
import { HISTORY_FILE, type HistoryInfo } from './history-info.js';
import type { LoadResult, LoadSpec } from './load-types.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    targets: { type: 'string', default: '20' },
    'database-url': { type: 'string' },
    'no-profile': { type: 'boolean', default: false },
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const connections = Number(args.connections);
const targetCount = Number(args.targets);
const TARGET_P99_MS = 50;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const OUT = here('../out/api-results.md');
const PROF_DIR = here('../out/api-prof');
const SERVER_LOG = here('../out/api-server.log');

function withDatabase(name: string): string {
  const u = new URL(env().databaseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

const info = existsSync(HISTORY_FILE) ? (JSON.parse(readFileSync(HISTORY_FILE, 'utf8')) as HistoryInfo) : undefined;
const given = args['database-url'];
// A bare name: that database on DATABASE_URL's server.
const url = given && !given.includes('://') ? withDatabase(given) : (given ?? info?.url);
if (!url) throw new Error(`no history database: run bench/api/build-history.ts first or pass --database-url`);

// What the database holds (build-history may have been stopped early: read it, do not trust the file).
const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows: stat } = await client.query<{ name: string; n: string; first: Date; last: Date; bytes: string }>(
  `SELECT c.name, count(s.id) AS n, min(s.taken_at) AS first, max(s.taken_at) AS last,
          pg_database_size(current_database()) AS bytes
     FROM cluster c JOIN snapshot s ON s.cluster_id = c.id GROUP BY c.name`,
);
const history = stat[0]!;
const { rows: counts } = await client.query<{ pods: string; policies: string; workloads: string }>(
  `SELECT (SELECT count(*) FROM current_pod) AS pods,
          (SELECT count(*) FROM object_version WHERE kind = 'NetworkPolicy' AND valid_to IS NULL) AS policies,
          (SELECT count(*) FROM reach_version WHERE kind = 'workload' AND valid_to IS NULL) AS workloads`,
);
// Candidate targets: workloads whose ingress admits one of the five largest peer sets (an
// allow-from-frontend policy, say), and a fixed sample of the rest.
const { rows: candidates } = await client.query<{ key: string }>(
  `WITH peers AS (SELECT key FROM reach_version WHERE kind = 'peer' AND valid_to IS NULL
                   ORDER BY jsonb_array_length(body) DESC, key LIMIT 5),
        nodes AS (SELECT n.key FROM reach_version n,
                    jsonb_array_elements(CASE WHEN jsonb_typeof(n.body->'ingress') = 'array' THEN n.body->'ingress' ELSE '[]' END) i
                   WHERE n.kind = 'node' AND n.valid_to IS NULL AND i->>0 IN (SELECT key FROM peers)),
        selected AS (SELECT w.key FROM reach_version w, jsonb_array_elements_text(w.body) nk
                      WHERE w.kind = 'workload' AND w.valid_to IS NULL AND nk IN (SELECT key FROM nodes)
                      GROUP BY w.key ORDER BY md5(w.key) LIMIT 30),
        sample AS (SELECT key FROM reach_version WHERE kind = 'workload' AND valid_to IS NULL ORDER BY md5(key) LIMIT 50)
   SELECT key FROM selected UNION SELECT key FROM sample`,
);
await client.end();

const cluster = history.name;
const spanMs = history.last.getTime() - history.first.getTime();
const days = spanMs / 86_400_000;
// The clock is pinned a minute after the last snapshot; `since` is 7d when the history is that
// long, else all of it (a duration reaching back to the first snapshot).
const now = new Date(history.last.getTime() + 60_000);
const since = spanMs >= 7 * 86_400_000 ? '7d' : `${Math.floor((spanMs + 60_000) / 60_000)}m`;

const tokenPool = createPool(url);
const { secret: token } = await new TokensRepository(tokenPool).create(`bench-api-${process.pid}`, 'read', null);

interface Api {
  child: ChildProcess;
  base: string;
  lines: Interface;
}

function startApi(answerCache: boolean): Promise<Api> {
  const argv = [here('server-entry.ts'), url!, now.toISOString(), ...(answerCache ? [] : ['--no-answer-cache'])];
  const child = spawn(process.execPath, ['--import', 'tsx', ...argv], {
    // The API's access log (a line per request) goes to a file, not the terminal.
    stdio: ['pipe', 'pipe', openSync(SERVER_LOG, 'a')],
  });
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`API exited with ${code}; see ${SERVER_LOG}`)));
    lines.on('line', (line) => {
      const m = /^LISTENING (\S+)/.exec(line);
      if (m) resolve({ child, base: m[1]!, lines });
    });
  });
}

/** Sends a command to the API process and waits for the line it answers with. */
function command(api: Api, line: string, answer: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (l: string) => {
      if (l !== answer) return;
      api.lines.off('line', on);
      resolve();
    };
    api.lines.on('line', on);
    api.child.stdin!.write(`${line}\n`);
  });
}

function stopApi(api: Api): Promise<void> {
  api.child.removeAllListeners('exit');
  return new Promise((resolve) => {
    api.child.once('exit', () => resolve());
    api.child.kill('SIGTERM');
  });
}

function load(spec: LoadSpec): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', here('load.ts'), JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult);
      else reject(new Error(`load generator exited with ${code}`));
    });
  });
}

async function get(api: Api, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${api.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

type Answer = { entries: { items: { peer: string }[] }; changes?: unknown[] };
const q = encodeURIComponent;
const reachPath = (target: string) =>
  `/api/v1/clusters/${q(cluster)}/who-can-reach?target=${q(target)}&since=${q(since)}`;
const explainPath = (src: string, dst: string) => `/api/v1/clusters/${q(cluster)}/explain?src=${q(src)}&dst=${q(dst)}`;

interface Run {
  name: string;
  paths: string[];
  generator: LoadSpec['generator'];
  answerCache: boolean;
}

function peakRssOf(pid: number): string {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? `${(Number(kib) / 1024).toFixed(0)} MiB` : 'unknown';
  } catch {
    return 'unknown (no /proc)';
  }
}

const firstAnswerMs: { reach?: number; explain?: number } = {};

/** The targets the load asks about: of the candidates, those with the most sources and changes. */
async function chooseTargets(api: Api) {
  const found: { target: string; entries: number; changes: number; src: string }[] = [];
  for (const { key } of candidates) {
    const started = performance.now();
    const r = await get(api, reachPath(key));
    // The first question loads the snapshot: what the first asker after a new snapshot waits.
    firstAnswerMs.reach ??= performance.now() - started;
    if (r.status !== 200) throw new Error(`who-can-reach ${key}: ${r.status} ${JSON.stringify(r.body)}`);
    const a = r.body as Answer;
    const src = a.entries.items.map((e) => e.peer).find((p) => !p.startsWith('ip:'));
    if (src) found.push({ target: key, entries: a.entries.items.length, changes: a.changes?.length ?? 0, src });
  }
  found.sort((x, y) => y.entries + y.changes - (x.entries + x.changes) || (x.target < y.target ? -1 : 1));
  const chosen = found.slice(0, targetCount);
  for (const t of chosen) {
    const started = performance.now();
    const check = await get(api, explainPath(t.src, t.target));
    firstAnswerMs.explain ??= performance.now() - started;
    if (check.status !== 200) throw new Error(`explain: ${check.status} ${JSON.stringify(check.body)}`);
  }
  return chosen;
}

rmSync(PROF_DIR, { recursive: true, force: true });
const results: (Run & { r: LoadResult })[] = [];
const profiles: string[] = [];
/** The API process's peak RSS (Linux's VmHWM) per answer-cache setting. */
const peakRss = new Map<boolean, string>();
let targets: Awaited<ReturnType<typeof chooseTargets>> = [];
for (const answerCache of [true, false]) {
  const api = await startApi(answerCache);
  try {
    if (targets.length === 0) {
      targets = await chooseTargets(api);
      console.error(
        `targets: ${targets.map((t) => `${t.target} (${t.entries} entries, ${t.changes} changes)`).join(', ')}`,
      );
    }
    const reach = targets.map((t) => reachPath(t.target));
    const explain = targets.map((t) => explainPath(t.src, t.target));
    const reachName = `who-can-reach (since=${since})`;
    const runs: Run[] = answerCache
      ? [
          { name: reachName, paths: reach, generator: 'paced', answerCache },
          { name: 'explain', paths: explain, generator: 'paced', answerCache },
          { name: reachName, paths: reach, generator: 'autocannon', answerCache },
          { name: 'explain', paths: explain, generator: 'autocannon', answerCache },
        ]
      : [
          { name: reachName, paths: reach, generator: 'paced', answerCache },
          { name: 'explain', paths: explain, generator: 'paced', answerCache },
        ];
    for (const run of runs) {
      const spec = {
        urls: run.paths.map((p) => `${api.base}${p}`),
        token,
        rate,
        connections,
        seconds,
        warmupSeconds,
        generator: run.generator,
      };
      const r = await load(spec);
      console.error(
        `${run.name}, ${run.generator}, answer cache ${run.answerCache}: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`,
      );
      results.push({ ...run, r });
      if (r.latency.p99 < TARGET_P99_MS || args['no-profile']) continue;
      // Missed: the same load again with the API under V8's profiler; its top functions go in the report.
      mkdirSync(PROF_DIR, { recursive: true });
      const file = `${PROF_DIR}/api-${results.length}.cpuprofile`;
      const profileSeconds = Math.min(seconds, 10);
      await command(api, 'profile-start', 'PROFILING');
      const pr = await load({ ...spec, seconds: profileSeconds, warmupSeconds: 0 });
      await command(api, `profile-stop ${file}`, 'PROFILED');
      profiles.push(
        '',
        `CPU profile of the API process (V8 profiler) during ${profileSeconds} s more of ${run.name} ` +
          `(${run.generator}, answer cache ${run.answerCache ? 'on' : 'off'}; p99 ${pr.latency.p99} ms while profiled); ` +
          `top functions by self time, share of the busy (non-idle) samples, ${busyShare(file)} of samples busy:`,
        '',
        '| Function | Self |',
        '|:--|--:|',
        ...topFunctions(file),
      );
    }
    peakRss.set(answerCache, peakRssOf(api.child.pid!));
  } finally {
    await stopApi(api);
  }
}

const loadName = { paced: 'paced (open loop)', autocannon: 'autocannon bursts' } as const;
const lines = [
  '# reachlog API latency under load',
  '',
  `${new Date().toISOString()} on ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, Node ${process.version}.`,
  '',
  `History: the growth benchmark's simulated **${info?.scenario ?? 'medium'}** cluster (bench/history, default churn model, ` +
    `one storeSnapshot every 5 minutes), **${days.toFixed(2)} days** (${history.n} snapshots, ` +
    `${history.first.toISOString()} … ${history.last.toISOString()}), ${counts[0]!.pods} pods, ${counts[0]!.workloads} workloads, ` +
    `${counts[0]!.policies} NetworkPolicies at the end; database ${(Number(history.bytes) / 2 ** 20).toFixed(1)} MiB` +
    (info?.buildMs ? `, built in ${(info.buildMs / 60_000).toFixed(1)} min.` : '.'),
  '',
  `API: startApiServer in its own process, clock pinned to ${now.toISOString()}, per-token rate limit raised ` +
    `(the default, 600 a minute, would answer most of these with 429). Each row: ${seconds} s at ${rate} requests/s ` +
    `from a separate process after ${warmupSeconds} s of warm-up (not counted), requests going to the ${targets.length} ` +
    `targets in turn (who-can-reach: the ${targets.length} of ${candidates.length} candidate workloads — those admitting the ` +
    `largest peer sets, and a fixed sample — with the most sources and changes, ${Math.min(...targets.map((t) => t.entries))}` +
    `–${Math.max(...targets.map((t) => t.entries))} entries each; explain: a source in each target's answer → the target, at the latest snapshot).`,
  '',
  `- **paced (open loop)**: request i is due at start + i/${rate} s (evenly spaced, wrk2's model) over up to ${connections} ` +
    'keep-alive connections; latency counts from when the request was due, so time spent waiting for a connection or ' +
    'behind a slow answer is included.',
  `- **autocannon bursts**: autocannon's overallRate over ${connections} connections: every second starts with each ` +
    `connection sending its share back to back, so all ${rate} requests of a second arrive in a burst at its start; ` +
    'raw latency from each send (its coordinated-omission correction off: it assumes a 1 ms interval).',
  '- **answer cache off**: the API started with `answerCacheBytes: 0`, so every request computes its answer ' +
    '(snapshot data — stored reachability, objects — still cached per snapshot).',
  `- The first question after the API started, alone: who-can-reach ${firstAnswerMs.reach?.toFixed(0)} ms (loads the ` +
    `snapshot's stored result and objects), explain ${firstAnswerMs.explain?.toFixed(0)} ms (rebuilds the cluster from ` +
    'the stored objects and computes it): what the first asker after a changed snapshot waits, and the requests behind it.',
  `- API process peak RSS: ${peakRss.get(true)} with the answer cache, ${peakRss.get(false)} without.`,
  '',
  `| Endpoint | Load | Answer cache | Rate (target / achieved) | Requests | p50 | p90 | p99 | Max | Errors | p99 < ${TARGET_P99_MS} ms |`,
  '|:--|:--|:--|--:|--:|--:|--:|--:|--:|--:|:--|',
  ...results.map(
    ({ name, generator, answerCache, r }) =>
      `| ${name} | ${loadName[generator]} | ${answerCache ? 'on' : 'off'} | ${rate} / ${r.achievedRate.toFixed(0)} | ${r.requests} | ` +
      `${r.latency.p50} ms | ${r.latency.p90} ms | ${r.latency.p99} ms | ${r.latency.max} ms | ${r.errors + r.timeouts} | ` +
      `${r.latency.p99 < TARGET_P99_MS ? 'PASS' : 'FAIL'} |`,
  ),
  ...profiles,
];
const report = lines.join('\n');
mkdirSync(here('../out'), { recursive: true });
writeFileSync(OUT, `${report}\n`);
console.log(report);
await new TokensRepository(tokenPool).revoke(`bench-api-${process.pid}`);
await tokenPool.end();
