import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newKeyPair } from '../../../api/services/reports/signing.js';
import { runCliAsync } from '../../cli/run-cli.js';
import { createApiHarness, type ApiHarness } from '../../support/api-harness.js';
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
  await h?.close();
});

const from = daysAgo(15).toISOString();

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
    expect(bad.stderr).toMatch(/report type "inventory": one of exposure, access, policy-audit, controls/);
  });

  test('report keygen prints a key pair as environment lines', async () => {
    const r = await runCliAsync(['report', 'keygen'], cliEnv);
    expect(r.stdout).toMatch(/^REACHLOG_REPORT_SIGNING_KEY=\S+\nREACHLOG_REPORT_PUBLIC_KEY=\S+\n$/);
  });
});
