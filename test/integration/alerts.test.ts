import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RepositoryAlertService, type ReceiverInput } from '../../api/services/alert-service.js';
import type { Principal } from '../../api/services/query-service.js';
import { readManifests } from '../../input/manifest-files.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createPool } from '../../store/db/pool.js';
import { ReceiverSealer } from '../../store/receiver-secret.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import {
  createSnapshotQueue,
  createSnapshotQueueEvents,
  enqueueSnapshot,
  type SnapshotJobData,
  type SnapshotJobResult,
} from '../../store/queue/snapshot-queue.js';
import { storeSnapshot } from '../../worker/snapshot/store-snapshot.js';
import { startWorker, type RunningWorker } from '../../worker/queue/run-worker.js';
import { FakeReceiver } from '../support/fake-receiver.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { claimTestRedis, type TestRedis } from '../support/test-redis.js';
import { saveEnv } from '../support/saved-env.js';

const KEY = Buffer.alloc(32, 0x5a);
const PUBLIC_URL = 'https://reachlog.example';
const SIGNING_KEY = 'webhook-signing-key-0123456789';
const OPERATOR: Principal = { tokenId: 0, name: 'test-admin', scopes: ['read', 'admin'], clusterIds: null };
const savedEnv = saveEnv(['DATABASE_URL', 'REDIS_URL', 'REACHLOG_SECRET_KEY', 'REACHLOG_PUBLIC_URL']);

let db: TestDatabase;
let redis: TestRedis;
let pool: pg.Pool;
let clusters: ClustersRepository;
let alerts: RepositoryAlertService;
let queueConnection: Redis;
let eventsConnection: Redis;
let queue: Queue<SnapshotJobData, SnapshotJobResult>;
let events: QueueEvents;
let worker: RunningWorker | undefined;
let slack: FakeReceiver;
let hooks: FakeReceiver;
let alertmanager: FakeReceiver;
const workerLog: string[] = [];
const root = mkdtempSync(join(tmpdir(), 'reachlog-alerts-'));

// ---------------------------------------------------------------------------------------------
// Manifests: a database, a web tier, and the policies a test changes between snapshots.

const NAMESPACES = ['db', 'web', 'burst']
  .map((n) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n  labels: { tier: ${n} }\n`)
  .join('---\n');

const POSTGRES = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: postgres, namespace: db }
spec:
  selector: { matchLabels: { app: postgres } }
  template:
    metadata: { labels: { app: postgres } }
    spec:
      containers:
      - name: postgres
        image: postgres:16
        ports: [{ name: pg, containerPort: 5432 }]
`;

const FRONTEND = `apiVersion: apps/v1
kind: Deployment
metadata: { name: frontend, namespace: web }
spec:
  selector: { matchLabels: { app: frontend } }
  template:
    metadata: { labels: { app: frontend } }
    spec:
      containers:
      - name: web
        image: web:1
        ports: [{ name: http, containerPort: 8080 }]
`;

function policy(namespace: string, name: string, selector: string, from: string, ports: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  podSelector: ${selector}
  policyTypes: [Ingress]
  ingress:
  - from: ${from}
    ports: ${ports}
`;
}

const DENY_DB = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: db }
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
const FROM_WEB = policy(
  'db',
  'postgres-from-web',
  '{ matchLabels: { app: postgres } }',
  '[{ namespaceSelector: { matchLabels: { tier: web } } }]',
  '[{ port: 5432 }]',
);
const PUBLIC = policy(
  'db',
  'postgres-public',
  '{ matchLabels: { app: postgres } }',
  '[{ ipBlock: { cidr: 0.0.0.0/0 } }]',
  '[{ port: 5432 }]',
);
const BASELINE = [NAMESPACES, POSTGRES, FRONTEND, DENY_DB, FROM_WEB];

/** `count` workloads in namespace burst, isolated by a default deny. */
function burstWorkloads(count: number): string[] {
  const deny = DENY_DB.replace('namespace: db', 'namespace: burst');
  return [
    deny,
    ...Array.from(
      { length: count },
      (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: app-${String(i).padStart(4, '0')}, namespace: burst }
spec:
  selector: { matchLabels: { app: app-${i} } }
  template:
    metadata: { labels: { app: app-${i}, exposed: "yes" } }
    spec:
      containers: [{ name: c, image: app:1, ports: [{ containerPort: 8080 }] }]
`,
    ),
  ];
}

const clusterDirs = new Map<number, string>();

/** Registers a paused cluster (snapshots only when a test asks) whose source is a directory of manifests. */
async function register(name: string, docs: readonly string[]): Promise<number> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const c = await clusters.add(name, { kind: 'manifests', dir }, 300);
  await clusters.setPaused(c.id, true);
  clusterDirs.set(c.id, dir);
  writeManifests(c.id, docs);
  return c.id;
}

function writeManifests(clusterId: number, docs: readonly string[]): void {
  const dir = clusterDirs.get(clusterId)!;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'all.yaml'), docs.join('---\n'));
}

/** Writes the manifests and takes a snapshot through the queue and the worker, as a schedule would. */
async function snapshot(clusterId: number, docs: readonly string[]): Promise<SnapshotJobResult> {
  writeManifests(clusterId, docs);
  const job = await enqueueSnapshot(queue, clusterId);
  return job.waitUntilFinished(events, 30_000);
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker log:\n${workerLog.join('\n')}`);
    await sleep(50);
  }
}

const slackTo = (path: string): ReceiverInput => ({ kind: 'slack', url: `${slack.url}/services/${path}` });

type SlackBlock = { type: string; text?: { text: string }; elements?: { text: string }[] };
const blocksOf = (body: unknown) => (body as { blocks: SlackBlock[] }).blocks;
const textOf = (blocks: SlackBlock[]) =>
  blocks.map((b) => b.text?.text ?? b.elements?.map((e) => e.text).join(' ') ?? '').join('\n');

beforeAll(async () => {
  [db, redis, slack, hooks, alertmanager] = await Promise.all([
    createTestDatabase(),
    claimTestRedis(),
    FakeReceiver.start(),
    FakeReceiver.start(SIGNING_KEY),
    FakeReceiver.start(),
  ]);
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    REACHLOG_SECRET_KEY: KEY.toString('base64'),
    REACHLOG_PUBLIC_URL: PUBLIC_URL,
  });
  pool = createPool(db.url);
  clusters = new ClustersRepository(pool);
  alerts = new RepositoryAlertService(pool, clusters, new ReceiverSealer(KEY), PUBLIC_URL);
  queueConnection = createRedis(redis.url);
  eventsConnection = createRedis(redis.url);
  queue = createSnapshotQueue(queueConnection);
  events = await createSnapshotQueueEvents(eventsConnection);
  await events.waitUntilReady();
  worker = await startWorker({
    lockDurationMs: 2_000,
    log: (line) => workerLog.push(line),
    alerts: { sweepEveryMs: 500, backoffMs: 100 },
  });
}, 60_000);

afterAll(async () => {
  try {
    await worker?.close();
    await events?.close();
    await queue?.close();
    queueConnection?.disconnect();
    eventsConnection?.disconnect();
    await pool?.end();
    await Promise.all([slack?.stop(), hooks?.stop(), alertmanager?.stop()]);
    rmSync(root, { recursive: true, force: true });
  } finally {
    savedEnv.restore();
    await redis?.release();
    await db?.drop();
  }
});

describe.sequential('alerts: snapshots of changing manifests, through the worker, to fake receivers', () => {
  test('a policy opening the database to 0.0.0.0/0 gives exactly one Slack message, with the expected blocks', async () => {
    const id = await register('prod', BASELINE);
    await alerts.addRule(OPERATOR, {
      name: 'prod-outside',
      cluster: 'prod',
      changes: ['outside'],
      severity: 'critical',
      receivers: [slackTo('open')],
    });
    await snapshot(id, BASELINE);
    const opened = await snapshot(id, [...BASELINE, PUBLIC]);

    await waitFor('the Slack message', () => slack.accepted('/services/open').length > 0);
    await sleep(1_500); // sweeps run every 500 ms: any duplicate would arrive now
    const messages = slack.accepted('/services/open');
    expect(messages).toHaveLength(1);
    const blocks = blocksOf(messages[0]!.json);
    expect(blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: 'db/postgres[StatefulSet] is newly reachable from 0.0.0.0/0 on TCP 5432',
        emoji: true,
      },
    });
    const text = textOf(blocks);
    expect(text).toContain('cluster *prod*');
    expect(text).toContain(`snapshot #${opened.snapshotId} at `);
    expect(text).toContain('*Cause:* NetworkPolicy `db/postgres-public` added');
    expect(text).toMatch(
      new RegExp(
        `<${PUBLIC_URL}/api/v1/clusters/prod/explain\\?src=ip%3A0\\.0\\.0\\.0%2F0&dst=db%2Fpostgres%5BStatefulSet%5D&at=snapshot%3A${opened.snapshotId}\\|why>`,
      ),
    );
    expect(blocks.length).toBeLessThanOrEqual(50);
    // The URL is a credential: nothing the API returns names its path.
    const shown = await alerts.rule(OPERATOR, 'prod-outside');
    expect(shown.rule.receivers).toEqual([{ kind: 'slack', url: `${slack.url}/…` }]);
    expect(shown.deliveries).toMatchObject([{ status: 'sent', attempts: 1, snapshotId: opened.snapshotId }]);
    const [row] = (await pool.query<{ sealed: Buffer }>('SELECT sealed FROM alert_receiver')).rows;
    expect(row!.sealed.toString('latin1')).not.toContain('/services/open');
  });

  test('a silence on the rule suppresses the message; the delivery is recorded as silenced', async () => {
    const id = await register('staging', BASELINE);
    await alerts.addRule(OPERATOR, {
      name: 'staging-outside',
      cluster: 'staging',
      changes: 'outside',
      receivers: [slackTo('silenced')],
    });
    const silence = await alerts.addSilence(OPERATOR, {
      rule: 'staging-outside',
      duration: '2h',
      reason: 'planned load test',
    });
    expect(await alerts.silences(OPERATOR)).toContainEqual(
      expect.objectContaining({ id: silence.id, reason: 'planned load test', active: true }),
    );
    await snapshot(id, BASELINE);
    await snapshot(id, [...BASELINE, PUBLIC]);
    await sleep(1_500);
    expect(slack.requests.filter((r) => r.path === '/services/silenced')).toEqual([]);
    const { deliveries } = await alerts.rule(OPERATOR, 'staging-outside');
    expect(deliveries).toMatchObject([{ status: 'silenced', silenceId: silence.id, attempts: 0 }]);

    // Ended, the next widening is sent.
    await alerts.endSilence(OPERATOR, silence.id);
    await snapshot(id, BASELINE);
    await snapshot(id, [...BASELINE, PUBLIC]);
    await waitFor('the message after the silence ended', () => slack.accepted('/services/silenced').length === 1);
  });

  test('narrowing does not alert a rule for widening; a rule that asks for narrowed gets it', async () => {
    const id = await register('narrow', [...BASELINE, PUBLIC]);
    await alerts.addRule(OPERATOR, {
      name: 'narrow-widening',
      cluster: 'narrow',
      changes: ['added', 'widened', 'outside'],
      receivers: [slackTo('widening')],
    });
    await alerts.addRule(OPERATOR, {
      name: 'narrow-narrowing',
      cluster: 'narrow',
      changes: ['narrowed', 'removed'],
      receivers: [slackTo('narrowing')],
    });
    await snapshot(id, [...BASELINE, PUBLIC]);
    await snapshot(id, BASELINE);
    await waitFor('the narrowing message', () => slack.accepted('/services/narrowing').length === 1);
    await sleep(1_000);
    expect(slack.requests.filter((r) => r.path === '/services/widening')).toEqual([]);
    const header = blocksOf(slack.accepted('/services/narrowing')[0]!.json)[0]!.text!.text;
    expect(header).toBe('db/postgres[StatefulSet] is no longer reachable from 0.0.0.0/0 on TCP 5432');
  });

  test('retries on 500 and on 429, waiting as long as Retry-After says; then sent once', async () => {
    const id = await register('flaky', BASELINE);
    await alerts.addRule(OPERATOR, {
      name: 'flaky-outside',
      cluster: 'flaky',
      changes: ['outside'],
      receivers: [slackTo('flaky')],
    });
    await snapshot(id, BASELINE);
    slack.answer({ status: 500 }, { status: 429, headers: { 'retry-after': '2' } });
    await snapshot(id, [...BASELINE, PUBLIC]);
    await waitFor('the third attempt', () => slack.accepted('/services/flaky').length === 1, 30_000);
    const attempts = slack.requests.filter((r) => r.path === '/services/flaky');
    expect(attempts.map((r) => r.status)).toEqual([500, 429, 200]);
    // Backoff alone would be 200 ms here: the wait after the 429 is Slack's 2 s.
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(1_900);
    await waitFor(
      'the delivery settled',
      async () => (await alerts.rule(OPERATOR, 'flaky-outside')).deliveries[0]?.status === 'sent',
    );
    expect((await alerts.rule(OPERATOR, 'flaky-outside')).deliveries).toMatchObject([
      { status: 'sent', attempts: 3, lastError: null },
    ]);
  });

  test('a receiver that keeps failing is marked failed, with the reason, not dropped', async () => {
    const id = await register('gone', BASELINE);
    await alerts.addRule(OPERATOR, {
      name: 'gone-outside',
      cluster: 'gone',
      changes: ['outside'],
      receivers: [slackTo('gone')],
    });
    await snapshot(id, BASELINE);
    slack.answer({ status: 404 }); // Slack's answer for a deleted hook: retrying cannot help
    await snapshot(id, [...BASELINE, PUBLIC]);
    await waitFor(
      'the failed delivery',
      async () => (await alerts.rule(OPERATOR, 'gone-outside')).deliveries[0]?.status === 'failed',
    );
    const { deliveries } = await alerts.rule(OPERATOR, 'gone-outside');
    expect(deliveries).toMatchObject([{ status: 'failed', attempts: 1, lastError: 'Slack answered HTTP 404' }]);
    expect(await alerts.deliveries(OPERATOR, 'failed')).toContainEqual(
      expect.objectContaining({ rule: 'gone-outside' }),
    );
  });

  test('no duplicate: a crash after COMMIT and before queueing sends once (the sweep), a retried snapshot adds nothing', async () => {
    const id = await register('crash', BASELINE);
    await alerts.addRule(OPERATOR, {
      name: 'crash-outside',
      cluster: 'crash',
      changes: ['outside'],
      receivers: [slackTo('crash')],
    });
    await snapshot(id, BASELINE);
    // The store step alone, as a worker killed right after its COMMIT leaves it: nothing queued.
    const dir = clusterDirs.get(id)!;
    writeManifests(id, [...BASELINE, PUBLIC]);
    const { objects } = readManifests([dir]);
    const stored = await storeSnapshot(pool, id, objects);
    expect(stored.alertDeliveries).toHaveLength(1);
    await waitFor('the swept delivery', () => slack.accepted('/services/crash').length === 1);
    // The job retried: the same content is an unchanged snapshot, with no events and no alerts.
    const retried = await snapshot(id, [...BASELINE, PUBLIC]);
    expect(retried.status).toBe('unchanged');
    // The same rows written again (a replayed transaction) are skipped by their keys.
    const again = await pool.query('SELECT count(*)::int AS n FROM alert_delivery WHERE rule_name = $1', [
      'crash-outside',
    ]);
    expect(again.rows[0].n).toBe(1);
    await sleep(1_500);
    expect(slack.requests.filter((r) => r.path === '/services/crash')).toHaveLength(1);
  });

  test('a burst of 300 newly exposed workloads is one message, within Slack limits, counting the rest', async () => {
    const id = await register('burst', [...BASELINE, ...burstWorkloads(300)]);
    await alerts.addRule(OPERATOR, {
      name: 'burst-outside',
      cluster: 'burst',
      changes: ['outside'],
      receivers: [slackTo('burst')],
    });
    await snapshot(id, [...BASELINE, ...burstWorkloads(300)]);
    const open = policy(
      'burst',
      'everything-public',
      '{ matchLabels: { exposed: "yes" } }',
      '[{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }]',
      '[{ port: 8080 }]',
    );
    await snapshot(id, [...BASELINE, ...burstWorkloads(300), open]);
    await waitFor('the burst message', () => slack.accepted('/services/burst').length === 1);
    await sleep(1_000);
    expect(slack.requests.filter((r) => r.path === '/services/burst')).toHaveLength(1);
    const blocks = blocksOf(slack.accepted('/services/burst')[0]!.json);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks[0]!.text!.text).toBe(
      'burst/app-0000[Deployment] is newly reachable from 0.0.0.0/0 except 10.0.0.0/8 on TCP 8080 (and 299 more changes)',
    );
    const text = textOf(blocks);
    expect(text).toContain('*300 changes:* 300 newly reachable from outside addresses');
    expect(text).toContain(`and 290 more · <${PUBLIC_URL}/api/v1/clusters/burst/diff?`);
    for (const b of blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
  }, 60_000);

  test('a generic webhook gets the versioned payload, signed over timestamp and body', async () => {
    const id = await register('hooked', BASELINE);
    await alerts.addRule(OPERATOR, {
      name: 'hooked-outside',
      cluster: 'hooked',
      changes: ['outside'],
      receivers: [{ kind: 'webhook', url: `${hooks.url}/reachlog`, signingKey: SIGNING_KEY }],
    });
    const info = await alerts.rule(OPERATOR, 'hooked-outside');
    expect(info.rule.receivers).toEqual([{ kind: 'webhook', url: `${hooks.url}/… (signed)` }]);
    await snapshot(id, BASELINE);
    await snapshot(id, [...BASELINE, PUBLIC]);
    // The fake answers 401 to a signature it cannot verify: accepted means verified.
    await waitFor('the signed webhook', () => hooks.accepted('/reachlog').length === 1);
    const payload = hooks.accepted('/reachlog')[0]!.json as Record<string, unknown>;
    expect(payload).toMatchObject({
      format: 'reachlog.alert/v1',
      kind: 'exposure',
      cluster: 'hooked',
      rule: { name: 'hooked-outside', severity: 'warning' },
      total: 1,
      items: [
        {
          change: 'outside',
          target: 'db/postgres[StatefulSet]',
          namespace: 'db',
          peer: '0.0.0.0/0',
          ports: [{ protocol: 'TCP', ports: [[5432, 5432]] }],
        },
      ],
      causes: [{ kind: 'NetworkPolicy', key: 'db/postgres-public', change: 'added' }],
    });
    expect(String((payload.items as { explainUrl: string }[])[0]!.explainUrl)).toMatch(
      /^https:\/\/reachlog\.example\/api\/v1\/clusters\/hooked\/explain\?/,
    );
  });

  test('Alertmanager gets v2 alerts labelled cluster, namespace, workload, change, severity', async () => {
    const id = await register('routed', BASELINE);
    await alerts.addRule(OPERATOR, {
      name: 'routed-outside',
      cluster: 'routed',
      changes: ['outside'],
      severity: 'critical',
      receivers: [{ kind: 'alertmanager', url: alertmanager.url }],
    });
    await snapshot(id, BASELINE);
    await snapshot(id, [...BASELINE, PUBLIC]);
    await waitFor('the Alertmanager post', () => alertmanager.accepted('/api/v2/alerts').length === 1);
    const posted = alertmanager.accepted('/api/v2/alerts')[0]!.json as { labels: object; annotations: object }[];
    expect(posted).toHaveLength(1);
    expect(posted[0]!.labels).toEqual({
      alertname: 'ReachlogExposureChanged',
      cluster: 'routed',
      namespace: 'db',
      workload: 'db/postgres[StatefulSet]',
      change: 'outside',
      severity: 'critical',
      rule: 'routed-outside',
    });
    expect(posted[0]!.annotations).toMatchObject({
      summary: 'db/postgres[StatefulSet] is newly reachable from 0.0.0.0/0 on TCP 5432',
      cause: 'NetworkPolicy db/postgres-public added',
    });
  });

  test('the receiver restarting under load: every alert arrives once when it is back', async () => {
    const ids = await Promise.all(['load-a', 'load-b', 'load-c', 'load-d'].map((n) => register(n, BASELINE)));
    for (const n of ['load-a', 'load-b', 'load-c', 'load-d'])
      await alerts.addRule(OPERATOR, {
        name: `${n}-outside`,
        cluster: n,
        changes: ['outside'],
        receivers: [slackTo(n)],
      });
    for (const id of ids) await snapshot(id, BASELINE);
    await slack.stop();
    for (const id of ids) await snapshot(id, [...BASELINE, PUBLIC]);
    await sleep(800); // attempts are refused meanwhile
    await slack.restart();
    for (const n of ['load-a', 'load-b', 'load-c', 'load-d'])
      await waitFor(`${n}'s message`, () => slack.accepted(`/services/${n}`).length >= 1, 30_000);
    await sleep(1_500);
    for (const n of ['load-a', 'load-b', 'load-c', 'load-d']) expect(slack.accepted(`/services/${n}`)).toHaveLength(1);
  }, 60_000);

  test('overdue and failing snapshots alert once per episode', async () => {
    const id = await register('stale', BASELINE);
    await alerts.addRule(OPERATOR, {
      name: 'stale-health',
      cluster: 'stale',
      changes: ['overdue', 'failing'],
      receivers: [slackTo('stale')],
    });
    await snapshot(id, BASELINE);
    // The source disappears: the next attempt fails.
    rmSync(clusterDirs.get(id)!, { recursive: true, force: true });
    // Its retries go on meanwhile: every failed attempt belongs to the same episode.
    await enqueueSnapshot(queue, id);
    await waitFor('the failing alert', () =>
      slack.accepted('/services/stale').some((r) => /snapshots are failing/.test(r.body)),
    );
    // Last success 20 minutes ago on a 5-minute schedule: overdue too (a paused cluster never is).
    await clusters.setPaused(id, false);
    await pool.query(
      `UPDATE snapshot SET taken_at = now() - interval '20 minutes' WHERE cluster_id = $1 AND status <> 'failed'`,
      [id],
    );
    await waitFor('the overdue alert', () =>
      slack.accepted('/services/stale').some((r) => /snapshots are overdue/.test(r.body)),
    );
    await sleep(1_500);
    const bodies = slack.accepted('/services/stale').map((r) => blocksOf(r.json)[0]!.text!.text);
    expect(bodies.filter((b) => b.includes('failing'))).toHaveLength(1);
    expect(bodies.filter((b) => b.includes('overdue'))).toHaveLength(1);
  }, 60_000);
});
