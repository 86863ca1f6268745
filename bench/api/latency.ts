/**
 * API latency under load: who-can-reach with `since` and explain, on the history database
 * build-history.ts filled (the growth benchmark's simulated medium cluster), each at a fixed
 * rate from autocannon in a separate process (bench/api/load.ts) against the API in another
 * (bench/api/server-entry.ts). Target: p99 under 50 ms.
 *
 *   node --import tsx bench/api/build-history.ts --days 3      # once: the history
 *   node --import tsx bench/api/latency.ts [--rate 200] [--seconds 20] [--warmup 3] [--database-url URL|NAME]
 *
 * A run whose p99 misses the target is repeated with the API under --cpu-prof; the top
 * functions by self time go into the report. The table goes to stdout and bench/out/api-results.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { databaseUrl } from '../../worker/store/database-url.js';
import { createPrisma } from '../../worker/store/prisma-client.js';
import { TokensRepository } from '../../worker/store/tokens.repository.js';
import { busyShare, topFunctions } from './cpu-profile.js';
import { HISTORY_FILE, type HistoryInfo } from './history-info.js';
import type { LoadResult, LoadSpec } from './load-types.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'database-url': { type: 'string' },
    'no-profile': { type: 'boolean', default: false },
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const connections = Number(args.connections);
const TARGET_P99_MS = 50;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const OUT = here('../out/api-results.md');
const PROF_DIR = here('../out/api-prof');
const SERVER_LOG = here('../out/api-server.log');

function withDatabase(name: string): string {
  const u = new URL(databaseUrl());
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

const prisma = createPrisma(url);
const { secret: token } = await new TokensRepository(prisma).create(`bench-api-${process.pid}`, 'read', null);
await prisma.$disconnect();

interface Api {
  child: ChildProcess;
  base: string;
  lines: Interface;
}

function startApi(): Promise<Api> {
  const child = spawn(process.execPath, ['--import', 'tsx', here('server-entry.ts'), url!, now.toISOString()], {
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

const api = await startApi();
try {
  // The target: of the candidates, the one with the most sources (entries) and changes.
  let best = { target: '', entries: 0, changes: 0, peers: [] as string[] };
  for (const { key } of candidates) {
    const r = await get(api, reachPath(key));
    if (r.status !== 200) throw new Error(`who-can-reach ${key}: ${r.status} ${JSON.stringify(r.body)}`);
    const a = r.body as Answer;
    const score = a.entries.items.length + (a.changes?.length ?? 0);
    if (score > best.entries + best.changes) {
      best = {
        target: key,
        entries: a.entries.items.length,
        changes: a.changes?.length ?? 0,
        peers: a.entries.items.map((e) => e.peer),
      };
    }
  }
  const src = best.peers.find((p) => !p.startsWith('ip:')) ?? best.peers[0]!;
  const explainPath = `/api/v1/clusters/${q(cluster)}/explain?src=${q(src)}&dst=${q(best.target)}`;
  const check = await get(api, explainPath);
  if (check.status !== 200) throw new Error(`explain: ${check.status} ${JSON.stringify(check.body)}`);
  console.error(
    `target ${best.target}: ${best.entries} entries, ${best.changes} changes since ${since}; explain src ${src}`,
  );

  const endpoints = [
    { name: `who-can-reach (since=${since})`, path: reachPath(best.target) },
    { name: 'explain', path: explainPath },
  ];
  const results: { name: string; path: string; r: LoadResult }[] = [];
  for (const e of endpoints) {
    const r = await load({ url: `${api.base}${e.path}`, token, rate, connections, seconds, warmupSeconds });
    console.error(`${e.name}: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.requests} requests`);
    results.push({ ...e, r });
  }

  const lines = [
    '# reachlog API latency under load',
    '',
    `${new Date().toISOString()} on ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, Node ${process.version}.`,
    '',
    `History: the growth benchmark's simulated **${info?.scenario ?? 'medium'}** cluster (bench/history, default churn model, ` +
      `one storeSnapshot every 5 minutes), **${days.toFixed(2)} days** (${history.n} snapshots, ` +
      `${history.first.toISOString()} … ${history.last.toISOString()}), ${counts[0]!.pods} pods, ${counts[0]!.workloads} workloads, ` +
      `${counts[0]!.policies} NetworkPolicies at the end; database ${(Number(history.bytes) / 2 ** 20).toFixed(1)} MiB.` +
      (days < 30 && info?.buildMs
        ? ` Not 30 days: storing took ${(info.buildMs / 60_000).toFixed(1)} min for ${info.snapshots} snapshots here, ` +
          `so 30 days (8,640) would take about ${(((info.buildMs / info.snapshots) * 8640) / 3_600_000).toFixed(1)} h.`
        : ''),
    '',
    `API: startApiServer in its own process, clock pinned to ${now.toISOString()}, per-token rate limit raised ` +
      `(the default, 600 a minute, would answer most of these with 429). Load: autocannon ${seconds} s per endpoint at ` +
      `overallRate ${rate}/s over ${connections} connections from a separate process, after ${warmupSeconds} s of warm-up ` +
      `(not counted); raw latency from each request's send (autocannon's coordinated-omission correction off: ` +
      `it assumes a 1 ms interval). autocannon paces per connection per second, so requests arrive in bursts ` +
      `of up to ${connections} at each second's start, not evenly spaced.`,
    '',
    `- who-can-reach: target \`${best.target}\` (most sources and changes of ${candidates.length} candidates: workloads admitting the largest peer sets, and a fixed sample): ` +
      `${best.entries} entries, ${best.changes} changes since ${since}` +
      (since === '7d' ? '' : ` (\`since=${since}\` reaches the first snapshot: the history is shorter than 7 d)`),
    `- explain: src \`${src}\`, dst \`${best.target}\`, at the latest snapshot`,
    '',
    `| Endpoint | Rate (target / achieved) | Requests | p50 | p90 | p99 | Max | Errors | p99 < ${TARGET_P99_MS} ms |`,
    '|:--|--:|--:|--:|--:|--:|--:|--:|:--|',
    ...results.map(
      ({ name, r }) =>
        `| ${name} | ${rate} / ${r.achievedRate.toFixed(0)} | ${r.requests} | ${r.latency.p50} ms | ${r.latency.p90} ms | ` +
        `${r.latency.p99} ms | ${r.latency.max} ms | ${r.errors + r.timeouts} | ${r.latency.p99 < TARGET_P99_MS ? 'PASS' : 'FAIL'} |`,
    ),
  ];

  const failing = results.filter((x) => x.r.latency.p99 >= TARGET_P99_MS);
  if (failing.length && !args['no-profile']) {
    rmSync(PROF_DIR, { recursive: true, force: true });
    mkdirSync(PROF_DIR, { recursive: true });
    const profileSeconds = Math.min(seconds, 10);
    for (const [i, f] of failing.entries()) {
      const file = `${PROF_DIR}/api-${i}.cpuprofile`;
      await command(api, 'profile-start', 'PROFILING');
      const r = await load({
        url: `${api.base}${f.path}`,
        token,
        rate,
        connections,
        seconds: profileSeconds,
        warmupSeconds: 0,
      });
      await command(api, `profile-stop ${file}`, 'PROFILED');
      lines.push(
        '',
        `CPU profile of the API process (V8 profiler, as --cpu-prof, started after the runs above so startup is not in it) ` +
          `during ${profileSeconds} s of ${f.name} at ${rate}/s (p99 ${r.latency.p99} ms while profiled); ` +
          `top functions by self time, share of the busy (non-idle) samples, ${busyShare(file)} of samples busy:`,
        '',
        '| Function | Self |',
        '|:--|--:|',
        ...topFunctions(file),
      );
    }
  }

  const report = lines.join('\n');
  mkdirSync(here('../out'), { recursive: true });
  writeFileSync(OUT, `${report}\n`);
  console.log(report);
} finally {
  await stopApi(api);
  const prisma2 = createPrisma(url);
  await new TokensRepository(prisma2).revoke(`bench-api-${process.pid}`);
  await prisma2.$disconnect();
}
