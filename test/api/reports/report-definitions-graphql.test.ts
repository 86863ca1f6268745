import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../api/app.js';
import { apiWiring } from '../../../api/wiring.js';
import { queuedSnapshotJobs } from '../../../store/queue/snapshot-jobs.js';
import { DefinitionRunner } from '../../../api/services/reports/definition-runner.js';
import { ReportService } from '../../../api/services/reports/report-service.js';
import { newKeyPair, publicKeyOf, verifyBytes } from '../../../api/services/reports/signing.js';
import { createRedis } from '../../../store/queue/redis-connection.js';
import { ReportDefinitionsRepository } from '../../../store/report-definitions.repository.js';
import { ReportRunsRepository } from '../../../store/report-runs.repository.js';
import { createApiHarness, type ApiHarness } from '../../support/api-harness.js';
import { startTestReportWorker, type TestReportWorker } from '../../support/report-worker.js';
import { daysAgo, NOW, storeReportHistory } from './report-history.js';

/**
 * Report definitions managed over GraphQL (the same service, scopes and error codes as REST),
 * runs made by the report queue's worker, and what holds when Redis is down or a worker stops
 * mid-run.
 */
const keys = newKeyPair();
let h: ApiHarness;
let app: Express;
let reader = '';
let admin = '';
let worker: TestReportWorker | undefined;

beforeAll(async () => {
  h = await createApiHarness();
  await storeReportHistory(h.pool);
  app = await h.app({ now: () => NOW });
  reader = await h.token('auditor', 'read');
  admin = await h.token('platform', 'admin');
  worker = await startTestReportWorker(h.pool, h.redisDb.url, { signingKey: keys.privateKey });
});
afterAll(async () => {
  await worker?.close();
  await h?.close();
});

async function gql(token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await request(app).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query, variables });
  // supertest's body: read as each test expects it, and a wrong shape fails its assertion.
  return res.body;
}

interface RunSeen {
  status: string;
  startedAt: string;
  finishedAt: string;
  results: { id: number; format: string; downloadUrl: string }[];
}

const ADD = `mutation($input: ReportDefinitionInput!) {
  addReportDefinition(input: $input) { name type clusters scope options period schedule formats lastRunTo }
}`;
const RUN = `mutation($name: String!) { runReportDefinition(name: $name) { id status periodFrom periodTo statusUrl results { id } } }`;
const RUN_STATUS = `query($definition: String!, $id: Int!) {
  reportRun(definition: $definition, id: $id) {
    id definition status error startedAt finishedAt requestedBy
    results { id cluster format signed error downloadUrl }
  }
}`;

const runCount = async () => Number((await h.pool.query('SELECT count(*) AS n FROM report_run')).rows[0].n);
const definitionCount = async () =>
  Number((await h.pool.query('SELECT count(*) AS n FROM report_definition')).rows[0].n);

describe('GraphQL management of report definitions', () => {
  test('admins add, remove and run; read tokens list and read; errors carry the REST codes', async () => {
    const input = {
      name: 'db-exposure',
      type: 'exposure',
      clusters: ['prod'],
      scope: { namespaces: ['db'], namespaceSelector: null },
      period: '15d',
      formats: ['md', 'json'],
    };
    const added = await gql(admin, ADD, { input });
    expect(added.errors).toBeUndefined();
    expect(added.data!.addReportDefinition).toEqual({
      name: 'db-exposure',
      type: 'exposure',
      clusters: ['prod'],
      scope: { namespaces: ['db'] },
      options: {},
      period: '15d',
      schedule: null,
      formats: ['md', 'json'],
      lastRunTo: null,
    });

    const asReader = await gql(reader, ADD, { input: { ...input, name: 'other' } });
    expect(asReader.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const taken = await gql(admin, ADD, { input });
    expect(taken.errors![0]).toMatchObject({
      message: 'a report definition named db-exposure exists',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const badCron = await gql(admin, ADD, { input: { ...input, name: 'x', schedule: 'every monday' } });
    expect(badCron.errors![0]!.message).toMatch(/schedule "every monday": not a cron expression/);
    const noCluster = await gql(admin, ADD, { input: { ...input, name: 'y', clusters: ['staging'] } });
    expect(noCluster.errors![0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });

    const listed = await gql(reader, '{ reportDefinitions { name formats } }');
    expect(listed.data!.reportDefinitions).toEqual([{ name: 'db-exposure', formats: ['md', 'json'] }]);

    expect((await gql(reader, RUN, { name: 'db-exposure' })).errors![0]).toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    const run = await gql(admin, RUN, { name: 'db-exposure' });
    expect(run.errors).toBeUndefined();
    const queued = run.data!.runReportDefinition;
    expect(queued).toMatchObject({
      status: 'queued',
      periodFrom: daysAgo(15).toISOString(),
      periodTo: NOW.toISOString(),
      statusUrl: `/api/v1/reports/db-exposure/runs/${queued.id}`,
      results: [],
    });

    let seen: RunSeen | undefined;
    await expect
      .poll(
        async () => {
          seen = (await gql(reader, RUN_STATUS, { definition: 'db-exposure', id: queued.id })).data?.reportRun;
          return seen?.status;
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBe('done');
    expect(seen).toMatchObject({ definition: 'db-exposure', error: null, requestedBy: 'platform' });
    expect(seen!.startedAt <= seen!.finishedAt).toBe(true);
    expect(seen!.results.map((r) => r.format).sort()).toEqual(['json', 'md']);
    const md = seen!.results.find((r) => r.format === 'md')!;
    expect(md).toMatchObject({
      cluster: 'prod',
      signed: true,
      error: null,
      downloadUrl: `/api/v1/report-results/${md.id}`,
    });
    // The link GraphQL gives downloads the file with its signature, as REST's does.
    const file = await request(app).get(md.downloadUrl).set('Authorization', `Bearer ${reader}`);
    const signature = JSON.parse(Buffer.from(file.headers['x-reachlog-signature'] as string, 'base64').toString());
    expect(verifyBytes(Buffer.from(file.text), signature, publicKeyOf(keys.publicKey)).ok).toBe(true);

    const detail = await gql(
      reader,
      '{ reportDefinition(name: "db-exposure") { definition { name } results { id } runs { id status } } }',
    );
    expect(detail.data!.reportDefinition.results).toHaveLength(2);
    expect(detail.data!.reportDefinition.runs).toEqual([{ id: queued.id, status: 'done' }]);

    const wrongRun = await gql(reader, RUN_STATUS, { definition: 'db-exposure', id: 99999 });
    expect(wrongRun.errors![0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });

    expect((await gql(reader, 'mutation { removeReportDefinition(name: "db-exposure") }')).errors![0]).toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    expect((await gql(admin, 'mutation { removeReportDefinition(name: "db-exposure") }')).data).toEqual({
      removeReportDefinition: true,
    });
    expect((await gql(reader, '{ reportDefinitions { name } }')).data!.reportDefinitions).toEqual([]);
    expect((await gql(admin, RUN, { name: 'db-exposure' })).errors![0]).toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
  }, 90_000);

  test('a cluster-bound read token sees only definitions over its own clusters', async () => {
    await h.clusters.add('staging', { kind: 'manifests', dir: '/nowhere' }, 86_400);
    expect((await gql(admin, ADD, { input: { name: 'prod-only', type: 'access', clusters: ['prod'] } })).errors).toBe(
      undefined,
    );
    const staging = await h.token('staging-reader', 'read', 'staging');
    expect((await gql(staging, '{ reportDefinitions { name } }')).data!.reportDefinitions).toEqual([]);
    expect(
      (await gql(staging, '{ reportDefinition(name: "prod-only") { definition { name } } }')).errors![0],
    ).toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
  });
});

describe('the embedded mode (no Redis)', () => {
  test('a run is made in the API process and followed the same way', async () => {
    const wiring = apiWiring(
      { pool: h.pool, redis: null, jobs: queuedSnapshotJobs(h.queue, h.redis) },
      { log: () => {}, now: () => NOW, trustProxyHops: 0 },
    );
    try {
      const embedded = await createApp(wiring.deps);
      await request(embedded)
        .post('/api/v1/reports')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'embedded', type: 'access', clusters: ['prod'], period: '15d', formats: ['json'] })
        .expect(201);
      const runs = await Promise.all(
        [1, 2].map(() =>
          request(embedded).post('/api/v1/reports/embedded/runs').set('Authorization', `Bearer ${admin}`).expect(202),
        ),
      );
      for (const run of runs) {
        await expect
          .poll(
            async () =>
              (await request(embedded).get(run.body.statusUrl).set('Authorization', `Bearer ${reader}`)).body.status,
            { timeout: 60_000, interval: 200 },
          )
          .toBe('done');
      }
      const kept = await h.pool.query<{ run_id: number }>(
        `SELECT run_id FROM report_result r JOIN report_definition d ON d.id = r.definition_id WHERE d.name = 'embedded'`,
      );
      expect(kept.rows.map((r) => r.run_id).sort()).toEqual(runs.map((r) => r.body.id).sort());
    } finally {
      await wiring.stop();
    }
  });
});

describe('Redis down', () => {
  test('a run, or a scheduled definition, is refused with 503 / UNAVAILABLE before anything is written', async () => {
    // Nothing listens on port 1: this connection never becomes ready.
    const dead = createRedis('redis://127.0.0.1:1', { log: () => {} });
    try {
      const down = await h.app({ now: () => NOW, redis: dead });
      await request(down)
        .post('/api/v1/reports')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'on-demand', type: 'exposure', clusters: ['prod'] })
        .expect(201);
      const runs = await runCount();
      const definitions = await definitionCount();

      const rest = await request(down).post('/api/v1/reports/on-demand/runs').set('Authorization', `Bearer ${admin}`);
      expect(rest.status).toBe(503);
      expect(rest.body).toMatchObject({ code: 'UNAVAILABLE', service: 'redis' });
      expect(rest.headers['retry-after']).toBe('5');
      const graphql = await request(down)
        .post('/graphql')
        .set('Authorization', `Bearer ${admin}`)
        .send({ query: RUN, variables: { name: 'on-demand' } });
      expect(graphql.body.errors[0]).toMatchObject({ extensions: { code: 'UNAVAILABLE', service: 'redis' } });
      const scheduled = await request(down)
        .post('/api/v1/reports')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'weekly', type: 'exposure', clusters: ['prod'], schedule: '0 6 * * 1' });
      expect(scheduled.status).toBe(503);

      expect(await runCount()).toBe(runs);
      expect(await definitionCount()).toBe(definitions);
    } finally {
      dead.disconnect();
    }
  });
});

describe('a run is idempotent by its id', () => {
  test('a worker that stopped mid-run leaves a run the next attempt finishes without making anything twice', async () => {
    const repo = new ReportDefinitionsRepository(h.pool);
    const runs = new ReportRunsRepository(h.pool);
    const reports = new ReportService(h.pool, { chromiumPath: '/nonexistent' });
    const d = await repo.add({
      name: 'crash-test',
      type: 'access',
      clusters: ['prod'],
      scope: {},
      options: {},
      period: '15d',
      schedule: null,
      formats: ['json', 'md'],
    });
    const run = await runs.add({
      definitionId: d.id,
      requestedBy: 'test',
      periodFrom: daysAgo(15),
      periodTo: NOW,
      scheduled: false,
      jobId: null,
    });
    // The first attempt keeps one file, then its process dies (as kill -9 would, mid-write).
    let kept = 0;
    const dying = Object.create(repo) as ReportDefinitionsRepository;
    dying.addResult = async (r) => {
      if (kept++ === 1) throw new Error('worker killed');
      return repo.addResult(r);
    };
    await expect(new DefinitionRunner(dying, runs, reports).execute(run.id)).rejects.toThrow('worker killed');
    expect((await runs.byId(run.id))!.status).toBe('running');
    const first = await repo.runResults(run.id);
    expect(first).toHaveLength(1);

    const runner = new DefinitionRunner(repo, runs, reports);
    const finished = await runner.execute(run.id);
    expect(finished).toMatchObject({ id: run.id, status: 'done', error: null });
    const results = await repo.runResults(run.id);
    expect(results.map((r) => r.format).sort()).toEqual(['json', 'md']);
    expect(results.map((r) => r.id)).toContain(first[0]!.id);
    // Delivered once more (a duplicate job): nothing is made again.
    expect(await runner.execute(run.id)).toBeUndefined();
    expect(await repo.runResults(run.id)).toHaveLength(2);
  });

  test("a scheduled job's retry finds the run its first attempt made, with the same period", async () => {
    const repo = new ReportDefinitionsRepository(h.pool);
    const runs = new ReportRunsRepository(h.pool);
    const reports = new ReportService(h.pool, { chromiumPath: '/nonexistent' });
    const d = await repo.add({
      name: 'scheduled-crash',
      type: 'exposure',
      clusters: ['prod'],
      scope: {},
      options: {},
      period: '15d',
      schedule: '0 6 * * 1',
      formats: ['json'],
    });
    let clock = NOW.getTime();
    const now = () => new Date(clock);
    const dying = Object.create(repo) as ReportDefinitionsRepository;
    dying.addResult = async () => {
      throw new Error('worker killed');
    };
    await expect(new DefinitionRunner(dying, runs, reports, now).runScheduled(d.id, 'repeat:x:1')).rejects.toThrow();
    const made = (await runs.byJobId('repeat:x:1'))!;
    clock += 60_000; // the retry comes later; the period is the first attempt's
    const done = await new DefinitionRunner(repo, runs, reports, now).runScheduled(d.id, 'repeat:x:1');
    expect(done).toMatchObject({ id: made.id, status: 'done', periodTo: NOW.toISOString(), scheduled: true });
    expect((await repo.byId(d.id))!.lastRunTo).toEqual(NOW);
  });
});
