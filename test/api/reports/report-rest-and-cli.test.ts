import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newKeyPair } from '../../../api/services/reports/signing.js';
import { runCliAsync } from '../../cli/run-cli.js';
import { createReportQueue } from '../../../store/queue/report-queue.js';
import { createApiHarness, type ApiHarness } from '../../support/api-harness.js';
import { startTestReportWorker, type TestReportWorker } from '../../support/report-worker.js';
import { DEBUG, daysAgo, NOW, POSTGRES, storeReportHistory } from './report-history.js';

const keys = newKeyPair();
let h: ApiHarness;
let app: Express;
let reader = '';
let dir: string;
let cliEnv: NodeJS.ProcessEnv;
const savedKey = process.env.REACHLOG_REPORT_SIGNING_KEY;

beforeAll(async () => {
  h = await createApiHarness();
  await storeReportHistory(h.pool);
  process.env.REACHLOG_REPORT_SIGNING_KEY = keys.privateKey;
  app = await h.app({ now: () => NOW });
  reader = await h.token('auditor', 'read');
  dir = mkdtempSync(join(tmpdir(), 'reachlog-report-cli-'));
  cliEnv = {
    ...process.env,
    DATABASE_URL: h.database.url,
    REDIS_URL: h.redisDb.url,
    REACHLOG_REPORT_SIGNING_KEY: keys.privateKey,
    REACHLOG_REPORT_PUBLIC_KEY: keys.publicKey,
  };
});
afterAll(async () => {
  if (savedKey === undefined) delete process.env.REACHLOG_REPORT_SIGNING_KEY;
  else process.env.REACHLOG_REPORT_SIGNING_KEY = savedKey;
  rmSync(dir, { recursive: true, force: true });
  await worker?.close();
  await h?.close();
});

const from = daysAgo(15).toISOString();
/** The worker here has no browser: a PDF fails (and says so), the other formats are made. */
const NO_BROWSER = '/nonexistent/chromium';
let worker: TestReportWorker | undefined;

interface RunBody {
  status: string;
  error: string | null;
  results: { id: number; format: string; error: string | null; periodFrom: string; downloadUrl: string | null }[];
}

/** Polls a run's status URL until it is done or failed. */
async function finished(statusUrl: string): Promise<RunBody> {
  let body: RunBody | undefined;
  await expect
    .poll(
      async () => {
        const seen = (await request(app).get(statusUrl).set('Authorization', `Bearer ${reader}`)).body as RunBody;
        body = seen;
        return seen.status;
      },
      { timeout: 60_000, interval: 200 },
    )
    .toMatch(/^(done|failed)$/);
  return body!;
}

describe('REST', () => {
  test('GET runs a report and sends the file with its signature header', async () => {
    const res = await request(app)
      .get('/api/v1/clusters/prod/reports/access')
      .query({ from, format: 'md', namespaces: 'db' })
      .set('Authorization', `Bearer ${reader}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="reachlog-access-prod-.*\.md"/);
    expect(res.text).toContain(`| ${POSTGRES} | ${DEBUG} | TCP 5432 |`);
    const sig = JSON.parse(Buffer.from(res.headers['x-reachlog-signature'] as string, 'base64').toString());
    // What a dashboard offers for download verifies with the CLI.
    writeFileSync(join(dir, 'access.md'), res.text);
    writeFileSync(join(dir, 'access.md.sig'), JSON.stringify(sig));
    const verified = await runCliAsync(['report', 'verify', join(dir, 'access.md')], cliEnv);
    expect(verified.stdout + verified.stderr).toMatch(/access\.md: verified, signed by key [0-9a-f]{64}/);
    expect(verified.status).toBe(0);
  });

  test('POST takes control options in a JSON body', async () => {
    const res = await request(app)
      .post('/api/v1/clusters/prod/reports/controls')
      .set('Authorization', `Bearer ${reader}`)
      .send({ from, format: 'json', options: { zones: [{ selector: 'pci=true', allowFrom: ['web'] }] } });
    expect(res.status).toBe(200);
    const controls = (JSON.parse(res.text) as { tables: { name: string; rows: unknown[][] }[] }).tables[0]!.rows;
    expect(controls).toContainEqual([
      'segmentation:pci=true',
      expect.any(String),
      'fail',
      daysAgo(10).toISOString(),
      1,
    ]);
  });

  test('bad input is a problem naming the parameter; no token, no report; unknown cluster 404', async () => {
    const bad = await request(app)
      .get('/api/v1/clusters/prod/reports/exposure')
      .query({ from, format: 'docx' })
      .set('Authorization', `Bearer ${reader}`);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/format "docx"/);
    const typo = await request(app)
      .get('/api/v1/clusters/prod/reports/exposure')
      .query({ form: from })
      .set('Authorization', `Bearer ${reader}`);
    expect(typo.status).toBe(400);
    expect((await request(app).get('/api/v1/clusters/prod/reports/exposure').query({ from })).status).toBe(401);
    const missing = await request(app)
      .get('/api/v1/clusters/nope/reports/exposure')
      .query({ from })
      .set('Authorization', `Bearer ${reader}`);
    expect(missing.status).toBe(404);
  });
});

describe('GraphQL', () => {
  test('Query.report: the same service, the file in base64 with its signature, errors with codes', async () => {
    const query = `query($from: String!, $scope: ReportScopeInput) {
      report(cluster: "prod", type: "access", from: $from, format: "csv", scope: $scope) {
        filename contentType contentBase64 signature report
      }
    }`;
    const res = await request(app)
      .post('/graphql')
      .set('Authorization', `Bearer ${reader}`)
      .send({ query, variables: { from, scope: { namespaces: ['db'] } } });
    expect(res.body.errors).toBeUndefined();
    const file = res.body.data.report;
    expect(file.contentType).toBe('application/zip');
    expect(file.filename).toMatch(/\.csv\.zip$/);
    const bytes = Buffer.from(file.contentBase64, 'base64');
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const { verifyBytes, publicKeyOf } = await import('../../../api/services/reports/signing.js');
    expect(verifyBytes(bytes, file.signature, publicKeyOf(keys.publicKey)).ok).toBe(true);
    expect(file.report.tables[0].rows).toHaveLength(2);

    const bad = await request(app)
      .post('/graphql')
      .set('Authorization', `Bearer ${reader}`)
      .send({ query: '{ report(cluster: "prod", type: "bogus", from: "1d") { filename } }' });
    expect(bad.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/report type "bogus"/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('stored definitions', () => {
  test('REST: admins add, readers list and get, a run keeps signed files to download; schedules go to BullMQ', async () => {
    const admin = await h.token('ops', 'admin');
    const add = await request(app)
      .post('/api/v1/reports')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        name: 'weekly-pci',
        type: 'controls',
        clusters: ['prod'],
        period: '15d',
        schedule: '0 6 * * 1',
        formats: ['md', 'csv'],
        options: { zones: [{ selector: 'pci=true', allowFrom: ['web'] }] },
      });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    expect(add.body).toMatchObject({ name: 'weekly-pci', schedule: '0 6 * * 1', formats: ['md', 'csv'] });
    const schedulers = await createReportQueue(h.redis).getJobSchedulers();
    expect(schedulers).toContainEqual(expect.objectContaining({ pattern: '0 6 * * 1' }));

    const asReader = await request(app).post('/api/v1/reports').set('Authorization', `Bearer ${reader}`).send({});
    expect(asReader.status).toBe(403);
    const badCron = await request(app)
      .post('/api/v1/reports')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'x', type: 'exposure', clusters: ['prod'], schedule: 'every monday' });
    expect(badCron.status).toBe(400);
    expect(badCron.body.detail).toMatch(/schedule "every monday": not a cron expression/);

    const list = await request(app).get('/api/v1/reports').set('Authorization', `Bearer ${reader}`);
    expect(list.body.items.map((d: { name: string }) => d.name)).toEqual(['weekly-pci']);

    // A run is queued, answered at once (202) with where to follow it; the worker makes it.
    const run = await request(app).post('/api/v1/reports/weekly-pci/runs').set('Authorization', `Bearer ${admin}`);
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    expect(run.headers.location).toBe(`/api/v1/reports/weekly-pci/runs/${run.body.id}`);
    expect(run.body).toMatchObject({
      status: 'queued',
      periodFrom: daysAgo(15).toISOString(),
      periodTo: NOW.toISOString(),
      requestedBy: 'ops',
      results: [],
    });
    const asReaderRun = await request(app)
      .post('/api/v1/reports/weekly-pci/runs')
      .set('Authorization', `Bearer ${reader}`);
    expect(asReaderRun.status).toBe(403);
    const queued = await request(app).get(run.headers.location!).set('Authorization', `Bearer ${reader}`);
    expect(queued.body.status).toBe('queued');

    worker = await startTestReportWorker(h.pool, h.redisDb.url, {
      signingKey: keys.privateKey,
      chromiumPath: NO_BROWSER,
    });
    const done = await finished(run.headers.location!);
    expect(done.status, JSON.stringify(done)).toBe('done');
    expect(done.error).toBeNull();
    const items = done.results;
    expect(items.map((i) => i.format).sort()).toEqual(['csv', 'md']);
    expect(items[0]!.periodFrom).toBe(daysAgo(15).toISOString());
    const md = items.find((i) => i.format === 'md')!;
    expect(md.error).toBeNull();
    expect(md.downloadUrl).toBe(`/api/v1/report-results/${md.id}`);
    const file = await request(app).get(md.downloadUrl!).set('Authorization', `Bearer ${reader}`);
    expect(file.status).toBe(200);
    expect(file.text).toContain('segmentation:pci=true');
    const sig = JSON.parse(Buffer.from(file.headers['x-reachlog-signature'] as string, 'base64').toString());
    const { verifyBytes, publicKeyOf } = await import('../../../api/services/reports/signing.js');
    expect(verifyBytes(Buffer.from(file.text), sig, publicKeyOf(keys.publicKey)).ok).toBe(true);

    const got = await request(app).get('/api/v1/reports/weekly-pci').set('Authorization', `Bearer ${reader}`);
    expect(got.body.results).toHaveLength(2);
    expect(got.body.runs).toMatchObject([{ id: run.body.id, status: 'done' }]);
    const otherRun = await request(app)
      .get('/api/v1/reports/weekly-pci/runs/99999')
      .set('Authorization', `Bearer ${reader}`);
    expect(otherRun.status).toBe(404);
    const badRun = await request(app).get('/api/v1/reports/weekly-pci/runs/x').set('Authorization', `Bearer ${reader}`);
    expect(badRun.status).toBe(400);
    expect(
      (await request(app).get('/api/v1/report-results/99999').set('Authorization', `Bearer ${reader}`)).status,
    ).toBe(404);
  });

  test('a run that could not make a format fails, saying which and why; what it could make is kept', async () => {
    const admin = await h.token('ops-2', 'admin');
    const add = await request(app)
      .post('/api/v1/reports')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'exposure-pdf', type: 'exposure', clusters: ['prod'], period: '15d', formats: ['pdf', 'json'] });
    expect(add.status).toBe(201);
    const run = await request(app).post('/api/v1/reports/exposure-pdf/runs').set('Authorization', `Bearer ${admin}`);
    expect(run.status).toBe(202);
    const failed = await finished(run.body.statusUrl);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(new RegExp(`^prod pdf: PDF needs Chromium, and there is none at ${NO_BROWSER}`));
    const json = failed.results.find((r: { format: string }) => r.format === 'json');
    expect(json).toMatchObject({ error: null, downloadUrl: `/api/v1/report-results/${json!.id}` });
    expect(failed.results.find((r: { format: string }) => r.format === 'pdf')).toMatchObject({ downloadUrl: null });
  });

  test('CLI: report add, list, run NAME, get --result', async () => {
    const add = await runCliAsync(
      [
        'report',
        'add',
        'db-access',
        '--type',
        'access',
        '--cluster',
        'prod',
        '--namespace',
        'db',
        '--period',
        '30d',
        '-o',
        'json',
      ],
      cliEnv,
    );
    expect(add.stderr).toBe('');
    expect(add.stdout).toBe('added db-access\taccess\tprod\ton demand\tjson\n');
    expect((await runCliAsync(['report', 'list'], cliEnv)).stdout).toContain(
      'db-access\taccess\tprod\tperiod 30d\ton demand\tjson',
    );
    // It waits for the worker by default: the run's results, one line each.
    const run = await runCliAsync(['report', 'run', 'db-access'], cliEnv);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^queued run #\d+ of db-access \(/);
    const id = /^#(\d+)\tprod\t/m.exec(run.stdout)![1]!;
    const out = join(dir, 'kept.json');
    const got = await runCliAsync(['report', 'get', 'db-access', '--result', id, '--out', out], cliEnv);
    expect(got.stdout).toBe(`wrote ${out} and ${out}.sig\n`);
    expect((await runCliAsync(['report', 'verify', out], cliEnv)).status).toBe(0);
    const noWait = await runCliAsync(['report', 'run', 'db-access', '--no-wait'], cliEnv);
    expect(noWait.status).toBe(0);
    const runId = /^queued run #(\d+) of db-access/.exec(noWait.stdout)![1]!;
    expect(noWait.stdout).toContain(`follow it with: reachlog report get db-access --run ${runId}\n`);
    await expect
      .poll(async () => (await runCliAsync(['report', 'get', 'db-access', '--run', runId], cliEnv)).stdout, {
        timeout: 60_000,
      })
      .toMatch(new RegExp(`^run #${runId}\tdone\n#\\d+\tprod\t`));

    await worker?.close();
    worker = undefined;
    const unattended = await runCliAsync(['report', 'run', 'db-access'], cliEnv);
    expect(unattended.status).toBe(1);
    expect(unattended.stderr).toMatch(
      /no worker is consuming the report queue: start `reachlog worker` \(run #\d+ runs when one does\)/,
    );

    const removed = await runCliAsync(['report', 'remove', 'db-access'], cliEnv);
    expect(removed.stdout).toBe('removed db-access\n');
    expect((await runCliAsync(['report', 'list'], cliEnv)).stdout).not.toContain('db-access');

    const unknown = await runCliAsync(['report', 'run', 'nope'], cliEnv);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/"nope" is neither a report type .* nor a stored report definition/);
  });
});

describe('CLI', () => {
  test('report run writes the file and its signature; verify passes, and fails once the file is touched', async () => {
    const out = join(dir, 'exposure.json');
    const r = await runCliAsync(
      [
        'report',
        'run',
        'exposure',
        '--cluster',
        'prod',
        '--from',
        from,
        '--to',
        NOW.toISOString(),
        '-o',
        'json',
        '--out',
        out,
      ],
      cliEnv,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`wrote ${out} and its signature ${out}.sig\n`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { type: string; evidence: { objects: unknown[] } };
    expect(report.type).toBe('exposure');
    expect(report.evidence.objects.length).toBeGreaterThan(5);
    expect((await runCliAsync(['report', 'verify', out], cliEnv)).status).toBe(0);

    writeFileSync(out, readFileSync(out, 'utf8').replace('"exposure"', '"exposurE"'));
    const tampered = await runCliAsync(['report', 'verify', out], cliEnv);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toMatch(/NOT verified: the file's SHA-256 is [0-9a-f]+, the signature is for/);
  });

  test('report run --format csv writes a zip; a bad type is refused with the list', async () => {
    const out = join(dir, 'controls.csv.zip');
    const r = await runCliAsync(
      [
        'report',
        'run',
        'controls',
        '--cluster',
        'prod',
        '--from',
        from,
        '-o',
        'csv',
        '--out',
        out,
        '--zone',
        'pci=true:web',
      ],
      cliEnv,
    );
    expect(r.status).toBe(0);
    expect(existsSync(out) && readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const bad = await runCliAsync(['report', 'run', 'inventory', '--cluster', 'prod', '--from', from], cliEnv);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /"inventory" is neither a report type \(exposure, access, policy-audit, controls\) nor a stored report definition/,
    );
  });

  test('report keygen prints a key pair as environment lines', async () => {
    const r = await runCliAsync(['report', 'keygen'], cliEnv);
    expect(r.stdout).toMatch(/^REACHLOG_REPORT_SIGNING_KEY=\S+\nREACHLOG_REPORT_PUBLIC_KEY=\S+\n$/);
  });
});
