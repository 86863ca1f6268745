import { randomBytes } from 'node:crypto';
import { relative } from 'node:path';
import { Command } from 'commander';
import { startApiServer, type RunningApi } from '../../api/server.js';
import type { ExplainAnswer, ReachAnswer, TierDecisionAnswer } from '../../api/services/query-service.js';
import type pg from 'pg';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, env } from '../../config/env.js';
import { ensureDatabase, migrateDeploy } from '../../store/db/migrate.js';
import { createPool } from '../../store/db/pool.js';
import { TokensRepository } from '../../store/tokens.repository.js';
import {
  DEMO_DIR,
  DemoHistoryError,
  ensureDemoCluster,
  replayTimelineOnce,
  startWorker,
  type RunningWorker,
} from '../../worker/index.js';
import { chooseServices, where } from '../choose-services.js';
import { CliError } from '../cli-error.js';
import { untilSignal } from '../until-signal.js';
import { RepositoryAlertService } from '../../api/services/alert-service.js';
import { ReceiverSealer } from '../../store/receiver-secret.js';
import { startDemoAlertReceiver, type DemoAlertReceiver } from '../demo-alert-receiver.js';
import { OPERATOR } from '../services.js';
import { DEFAULT_DATA_DIR, startEmbeddedStack } from '../embedded-stack.js';

const DEMO_CLUSTER = 'demo';
const TARGET = 'db/postgres[StatefulSet]';
/** The pair the timeline's last point closes: an AdminNetworkPolicy Deny above the NetworkPolicy that opened it. */
const GUARDED = { src: 'storefront/web[Deployment]', dst: 'api/payments[Deployment]' };
const TOKEN_NAME = 'demo';

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

/**
 * The questions whose answers show the incident (postgres opened to analytics and to 0.0.0.0/0),
 * then why the storefront lost the payments service: the platform team's AdminNetworkPolicy.
 */
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
    {
      title: 'Why the storefront can no longer reach the payments service (an admin Deny above NetworkPolicy):',
      method: 'GET',
      path: `/api/v1/clusters/${DEMO_CLUSTER}/explain?${new URLSearchParams(GUARDED)}`,
    },
  ];
}

/** The dashboard page that shows the first question's answer (after signing in). */
export function dashboardUrl(base: string, sinceDays: number): string {
  const question = new URLSearchParams({ cluster: DEMO_CLUSTER, target: TARGET, since: `${sinceDays}d` });
  return `${base}/dashboard/reach?${question}`;
}

/** Shell-quoted for the printed commands (single quotes, as a user would paste them). */
const sq = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The query as a curl command line, with the token from $TOKEN. */
export function curlOf(base: string, q: DemoQuery): string {
  const auth = '-H "Authorization: Bearer $TOKEN"';
  if (q.method === 'GET') return `curl -s ${auth} ${sq(base + q.path)}`;
  return `curl -s ${auth} -H 'Content-Type: application/json' ${sq(base + q.path)} \\\n    -d ${sq(JSON.stringify(q.body))}`;
}

const ALL_PORTS = ['TCP', 'UDP', 'SCTP'].map((protocol) => ({ protocol, ports: [[1, 65535]] }));

const show = (ranges: { protocol: string; ports: [number, number][] }[]) =>
  ranges.length === 0
    ? 'nothing'
    : JSON.stringify(ranges) === JSON.stringify(ALL_PORTS)
      ? 'all connections'
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
  // Net changes: what differs between then and now, one row per source, as people read addresses.
  const changes = answer.netChanges ?? answer.changes ?? [];
  out(`Its answer: ${answer.entries.items.length} peers can reach ${TARGET}; changed in the last ${sinceDays} days:`);
  for (const c of changes) {
    out(`  ${c.takenAt.slice(0, 10)}  ${c.change.padEnd(8)} ${c.srcText}: ${show(c.before)} -> ${show(c.after)}`);
  }
  if (changes.length === 0) out('  nothing');
}

const ruleOf = (d: TierDecisionAnswer) =>
  `${d.kind} ${d.policy}${d.priority === undefined ? '' : ` (priority ${d.priority})`} ingress rule ${d.rule}` +
  (d.ruleName ? ` "${d.ruleName}"` : '');

/** The explain answer as the demo prints it: the NetworkPolicy rules that allow the pair, then the admin rules deciding first. */
export function adminAnswerLines(answer: ExplainAnswer): string[] {
  const lines = [`Its answer: ${answer.src} -> ${answer.dst} is ${answer.verdict}:`];
  for (const { ingress } of answer.pairs) {
    for (const m of ingress.matches)
      lines.push(`  NetworkPolicy ${m.policy} ingress rule ${m.rule} allows ${show(m.allowed)}`);
    for (const d of ingress.tierDecisions) {
      const verb = { Allow: 'allowed', Deny: 'denied', Pass: 'passed' }[d.action];
      lines.push(`  ${verb} first by ${ruleOf(d)}: ${show(d.connections)}`);
    }
  }
  return lines;
}

/** Asks the last question, as a user would, and prints its answer. */
async function adminAnswer(base: string, secret: string, sinceDays: number, out: (line: string) => void) {
  const res = await fetch(base + demoQueries(sinceDays).at(-1)!.path, {
    headers: { authorization: `Bearer ${secret}` },
  });
  if (!res.ok) {
    out(`  (the API answered ${res.status}: ${await res.text()})`);
    return;
  }
  for (const line of adminAnswerLines((await res.json()) as ExplainAnswer)) out(line);
}

/** The demo's store, worker and API, over real services or embedded ones. */
interface DemoStack {
  pool: pg.Pool;
  /** Runs code that holds a connection while taking another (the replay): the embedded store has one. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  startApi(port: number, host: string): Promise<RunningApi>;
  close(): Promise<void>;
}

async function externalStack(
  dbUrl: string,
  queueUrl: string,
  secretKey: Buffer,
  out: (line?: string) => void,
): Promise<DemoStack> {
  const created = await ensureDatabase(dbUrl);
  await migrateDeploy(dbUrl);
  out(`database   ${new URL(dbUrl).pathname.slice(1)} on ${where(dbUrl)}: ${created ? 'created and ' : ''}migrated`);
  const pool = createPool(dbUrl);
  let worker: RunningWorker | undefined;
  return {
    pool,
    exclusive: (fn) => fn(),
    async startApi(port, host) {
      worker = await startWorker({ log: (line) => out(`worker     ${line}`), alerts: { secretKey } });
      out(`worker     running (BullMQ on Redis at ${where(queueUrl)})`);
      // The API shares the demo's pool; it opens its own Redis connection.
      return startApiServer({ port, host, connections: { pool } });
    },
    async close() {
      await worker?.close();
      await pool.end();
    },
  };
}

async function embeddedStack(
  dataDir: string,
  asked: boolean,
  secretKey: Buffer,
  out: (line?: string) => void,
): Promise<DemoStack> {
  const why = asked ? '--embedded' : 'no DATABASE_URL or REDIS_URL, and nothing on their default ports';
  out(`database   ${why}: embedded PGlite, jobs in this process, no Redis (one user; README: embedded mode)`);
  const stack = await startEmbeddedStack(dataDir, (line) => out(`worker     ${line}`), secretKey);
  out(`database   embedded PGlite in ${stack.postgres.dataDir}: migrated (delete the directory to start over)`);
  const { pool } = stack.postgres;
  return {
    pool,
    exclusive: (fn) => pool.exclusive(fn),
    async startApi(port, host) {
      out('worker     running in this process (no Redis)');
      return startApiServer({
        port,
        host,
        connections: { pool, redis: null, jobs: stack.jobs },
      });
    },
    close: () => stack.close(),
  };
}

async function runDemo(flags: { embedded?: boolean; dataDir: string; host: string }): Promise<void> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const config = env();
  const listenPort = config.port;
  const services = await chooseServices({
    databaseUrl: config.databaseUrlFromEnv ? config.databaseUrl : undefined,
    redisUrl: config.redisUrlFromEnv ? config.redisUrl : undefined,
    defaults: { databaseUrl: DEFAULT_DATABASE_URL, redisUrl: DEFAULT_REDIS_URL },
    embedded: flags.embedded === true,
  });
  // Receivers are sealed with REACHLOG_SECRET_KEY; without one, the demo's rule uses a key of this run's own.
  const secretKey = config.secretKey ?? randomBytes(32);
  const stack =
    services.kind === 'embedded'
      ? await embeddedStack(flags.dataDir, flags.embedded === true, secretKey, out)
      : await externalStack(services.databaseUrl, services.redisUrl, secretKey, out);
  const { pool } = stack;
  let api: RunningApi | undefined;
  let receiver: DemoAlertReceiver | undefined;
  try {
    const clusters = new ClustersRepository(pool);
    const { cluster, created: registered } = await ensureDemoCluster(clusters);
    const source =
      cluster.source.kind === 'manifests' ? relative(process.cwd(), cluster.source.dir) : 'a Kubernetes API';
    out(
      `cluster    demo: ${registered ? 'registered' : 'already registered'} (manifests ${source}, ${cluster.paused ? 'paused' : 'active'})`,
    );
    receiver = await startDemoAlertReceiver(out);
    await stack.exclusive(() => demoAlertRule(pool, clusters, secretKey, receiver!));
    out(`alerts     rule ${DEMO_RULE}: newly exposed to outside addresses -> a signed webhook this demo prints`);
    const replay = await stack
      .exclusive(() => replayTimelineOnce(pool, cluster.id, DEMO_DIR))
      .catch((e: unknown) => {
        throw e instanceof DemoHistoryError ? new CliError(e.message, 1) : e;
      });
    const timeline = `${relative(process.cwd(), DEMO_DIR)}/timeline.yaml`;
    const when = replay.replayed ? 'replayed now' : `replayed ${replay.replayedAt.toISOString().slice(0, 10)}`;
    out(`history    ${replay.snapshots} snapshots of ${timeline}, ${when}`);

    api = await stack.startApi(listenPort, flags.host).catch((e: unknown) => {
      const inUse = (e as { code?: string }).code === 'EADDRINUSE';
      throw inUse ? new CliError(`port ${listenPort} is in use: set PORT to another one`, 1) : e;
    });
    const base = api.url;

    const tokens = new TokensRepository(pool);
    // The secret cannot be shown again: each run replaces the demo token with a new one.
    await tokens.revoke(TOKEN_NAME);
    const { secret } = await tokens.create(TOKEN_NAME, 'read', null);

    // The timeline counts back from the run that replayed it; widen `since` by the time passed.
    const sinceDays = 7 + Math.max(0, Math.floor((Date.now() - replay.replayedAt.getTime()) / 86_400_000));
    out(`API        ${base}  (REST ${base}/api/v1, GraphQL ${base}/graphql)`);
    out(`Dashboard  ${base}/dashboard/  (sign in with the token below)`);
    out();
    const ends = services.kind === 'embedded' ? '' : `\`reachlog token revoke ${TOKEN_NAME}\` ends it; `;
    out(`A read token (${ends}the next demo run replaces it):`);
    out();
    out(`  export TOKEN=${secret}`);
    out();
    out('In a browser: open the dashboard, sign in with that token, and see who can reach the database:');
    out();
    out(`  ${dashboardUrl(base, sinceDays)}`);
    for (const q of demoQueries(sinceDays)) {
      out();
      out(q.title);
      out();
      out(`  ${curlOf(base, q)}`);
    }
    out();
    await firstAnswer(base, secret, sinceDays, out);
    out();
    await adminAnswer(base, secret, sinceDays, out);
    out();
    out('Serving until Ctrl-C.');
    await untilSignal();
    out('stopping: the API, then the worker (after its current job)');
  } finally {
    await api?.close();
    await stack.close();
    await receiver?.close();
  }
}

const DEMO_RULE = 'demo-exposed-to-outside';

/**
 * The default rule `cluster add` creates, pointed at this run's printing receiver (replacing the
 * last run's, whose port and key are gone). Alerts of the replayed timeline are sent once the
 * worker runs: the outbox keeps them meanwhile.
 */
async function demoAlertRule(
  pool: pg.Pool,
  clusters: ClustersRepository,
  secretKey: Buffer,
  receiver: DemoAlertReceiver,
): Promise<void> {
  const alerts = new RepositoryAlertService(pool, clusters, new ReceiverSealer(secretKey), env().publicUrl);
  if ((await alerts.rules(OPERATOR)).some((r) => r.name === DEMO_RULE)) await alerts.removeRule(OPERATOR, DEMO_RULE);
  await alerts.addRule(OPERATOR, {
    name: DEMO_RULE,
    cluster: 'demo',
    changes: ['outside'],
    severity: 'critical',
    receivers: [{ kind: 'webhook', url: receiver.url, signingKey: receiver.signingKey }],
  });
}

/** The demo's token and data are for trying reachlog: it listens on this machine only, unless asked. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'migrate, replay the example timeline (examples/demo) once, then serve the API and a worker until Ctrl-C ' +
        '(PORT, DATABASE_URL, REDIS_URL; with neither set and nothing on their default ports: embedded, see --embedded)',
    )
    .option('--embedded', 'use no Postgres or Redis: PGlite in --data-dir and jobs in this process (one user)')
    .option('--data-dir <dir>', 'where the embedded mode keeps its database', DEFAULT_DATA_DIR)
    .option('--host <address>', 'address the API listens on (0.0.0.0: every interface)', '127.0.0.1')
    .action(runDemo);
}
