import { relative } from 'node:path';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startApiServer, type RunningApi } from '../../api/server.js';
import type { ReachAnswer } from '../../api/services/query-service.js';
import { DEMO_DIR, DemoHistoryError, ensureDemoCluster, replayTimelineOnce } from '../../worker/demo/demo-cluster.js';
import { startWorker, type RunningWorker } from '../../worker/queue/run-worker.js';
import { redisUrl } from '../../worker/queue/redis-connection.js';
import { ClustersRepository } from '../../worker/store/clusters.repository.js';
import { databaseUrl } from '../../worker/store/database-url.js';
import { ensureDatabase, migrateDeploy } from '../../worker/store/migrate.js';
import { createPool } from '../../worker/store/pg-pool.js';
import { createPrisma } from '../../worker/store/prisma-client.js';
import { TokensRepository } from '../../worker/store/tokens.repository.js';
import { CliError } from '../cli-error.js';

/** The API's port when PORT is not set; deploy/ and docker-compose.yml use it too. */
export const DEFAULT_PORT = 8080;
const DEMO_CLUSTER = 'demo';
const TARGET = 'db/postgres[StatefulSet]';
const TOKEN_NAME = 'demo';

function port(): number {
  const text = process.env.PORT;
  if (text === undefined || text === '') return DEFAULT_PORT;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new CliError(`PORT ${JSON.stringify(text)}: expected 1-65535`);
  return n;
}

/** Where a URL points, without its password. */
function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

/** A refused connection is the demo's most likely first problem: say what to start, not a stack. */
async function checkPostgres(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (e) {
    throw new CliError(
      `cannot reach Postgres at ${where(url)} (DATABASE_URL): ${(e as Error).message}; ` +
        'start it, e.g. `docker compose up -d postgres redis`',
      1,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined); // reported below, once
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new CliError(
      `cannot reach Redis at ${where(url)} (REDIS_URL): ${(e as Error).message}; ` +
        'start it, e.g. `docker compose up -d postgres redis`',
      1,
    );
  } finally {
    redis.disconnect();
  }
}

/** One of the example questions the demo prints, as a request to the running API. */
export interface DemoQuery {
  title: string;
  method: 'GET' | 'POST';
  /** Path and query string, from the API's root. */
  path: string;
  body?: unknown;
}

/** The GraphQL twin of the first question: who can reach the target now, and what changed. */
const WHO_CAN_REACH_GRAPHQL = `query ($target: String!, $since: String) {
  cluster(name: "${DEMO_CLUSTER}") {
    whoCanReach(target: $target, since: $since) {
      snapshot { id takenAt }
      entries { edges { node { src allowed { protocol ports } since { takenAt } } } }
      changes { change src before { protocol ports } after { protocol ports } takenAt causes { kind key } }
    }
  }
}`;

/** The three questions whose answers show the incident: postgres opened to analytics and to 0.0.0.0/0. */
export function demoQueries(sinceDays: number): DemoQuery[] {
  const since = `${sinceDays}d`;
  return [
    {
      title: `Who can reach the database, and what changed in the last ${sinceDays} days (REST):`,
      method: 'GET',
      path: `/api/v1/clusters/${DEMO_CLUSTER}/who-can-reach?target=${encodeURIComponent(TARGET)}&since=${since}`,
    },
    {
      title: 'What is reachable from outside addresses, and what no policy protects:',
      method: 'GET',
      path: `/api/v1/clusters/${DEMO_CLUSTER}/exposure`,
    },
    {
      title: 'The first question in GraphQL:',
      method: 'POST',
      path: '/graphql',
      body: { query: WHO_CAN_REACH_GRAPHQL.replace(/\s+/g, ' '), variables: { target: TARGET, since } },
    },
  ];
}

/** Shell-quoted for the printed commands (single quotes, as a user would paste them). */
const sq = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The query as a curl command line, with the token from $TOKEN. */
export function curlOf(base: string, q: DemoQuery): string {
  const auth = '-H "Authorization: Bearer $TOKEN"';
  if (q.method === 'GET') return `curl -s ${auth} ${sq(base + q.path)}`;
  return `curl -s ${auth} -H 'Content-Type: application/json' ${sq(base + q.path)} \\\n    -d ${sq(JSON.stringify(q.body))}`;
}

const show = (ranges: { protocol: string; ports: [number, number][] }[]) =>
  ranges.length === 0
    ? 'nothing'
    : ranges
        .map((r) => `${r.protocol} ${r.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`)
        .join(' ');

/** Asks the running API the first question, as a user would, and prints what changed. */
async function firstAnswer(base: string, secret: string, sinceDays: number, out: (line: string) => void) {
  const res = await fetch(base + demoQueries(sinceDays)[0]!.path, { headers: { authorization: `Bearer ${secret}` } });
  if (!res.ok) {
    out(`  (the API answered ${res.status}: ${await res.text()})`);
    return;
  }
  const answer = (await res.json()) as ReachAnswer;
  const changes = answer.changes ?? [];
  out(`Its answer: ${answer.entries.items.length} peers can reach ${TARGET}; changed in the last ${sinceDays} days:`);
  for (const c of changes) {
    out(`  ${c.takenAt.slice(0, 10)}  ${c.change.padEnd(8)} ${c.src}: ${show(c.before)} -> ${show(c.after)}`);
  }
  if (changes.length === 0) out('  nothing');
}

async function runDemo(): Promise<void> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const dbUrl = databaseUrl();
  const queueUrl = redisUrl();
  const listenPort = port();
  await checkPostgres(dbUrl);
  await checkRedis(queueUrl);

  const created = await ensureDatabase(dbUrl);
  migrateDeploy(dbUrl);
  out(`database   ${new URL(dbUrl).pathname.slice(1)} on ${where(dbUrl)}: ${created ? 'created and ' : ''}migrated`);

  const prisma = createPrisma(dbUrl);
  const pool = createPool(dbUrl);
  let worker: RunningWorker | undefined;
  let api: RunningApi | undefined;
  try {
    const clusters = new ClustersRepository(prisma);
    const { cluster, created: registered } = await ensureDemoCluster(clusters);
    const source =
      cluster.source.kind === 'manifests' ? relative(process.cwd(), cluster.source.dir) : 'a Kubernetes API';
    out(
      `cluster    demo: ${registered ? 'registered' : 'already registered'} (manifests ${source}, ${cluster.paused ? 'paused' : 'active'})`,
    );
    const replay = await replayTimelineOnce(pool, cluster.id, DEMO_DIR).catch((e: unknown) => {
      throw e instanceof DemoHistoryError ? new CliError(e.message, 1) : e;
    });
    const timeline = `${relative(process.cwd(), DEMO_DIR)}/timeline.yaml`;
    const when = replay.replayed ? 'replayed now' : `replayed ${replay.replayedAt.toISOString().slice(0, 10)}`;
    out(`history    ${replay.snapshots} snapshots of ${timeline}, ${when}`);

    worker = await startWorker({ log: (line) => out(`worker     ${line}`) });
    out('worker     running');

    // The API shares the demo's pool and Prisma client; it opens its own Redis connection.
    api = await startApiServer({ port: listenPort, connections: { pool, prisma } }).catch((e: unknown) => {
      const inUse = (e as { code?: string }).code === 'EADDRINUSE';
      throw inUse ? new CliError(`port ${listenPort} is in use: set PORT to another one`, 1) : e;
    });
    const base = `http://localhost:${api.port}`;

    const tokens = new TokensRepository(prisma);
    // The secret cannot be shown again: each run replaces the demo token with a new one.
    await tokens.revoke(TOKEN_NAME);
    const { secret } = await tokens.create(TOKEN_NAME, 'read', null);

    // The timeline counts back from the run that replayed it; widen `since` by the time passed.
    const sinceDays = 7 + Math.max(0, Math.floor((Date.now() - replay.replayedAt.getTime()) / 86_400_000));
    out(`API        ${base}  (REST ${base}/api/v1, GraphQL ${base}/graphql)`);
    out();
    out(`A read token (\`reachlog token revoke ${TOKEN_NAME}\` ends it; the next demo run replaces it):`);
    out();
    out(`  export TOKEN=${secret}`);
    for (const q of demoQueries(sinceDays)) {
      out();
      out(q.title);
      out();
      out(`  ${curlOf(base, q)}`);
    }
    out();
    await firstAnswer(base, secret, sinceDays, out);
    out();
    out('Serving until Ctrl-C.');
    await untilSignal();
    out('stopping: the API, then the worker (after its current job)');
  } finally {
    await api?.close();
    await worker?.close();
    await pool.end();
    await prisma.$disconnect();
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'migrate, replay the example timeline (examples/demo) once, then serve the API and a worker until Ctrl-C ' +
        '(PORT, DATABASE_URL, REDIS_URL)',
    )
    .action(runDemo);
}
