import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BrowserMissingError } from '../../../api/services/reports/render/pdf.js';
import { ReportService } from '../../../api/services/reports/report-service.js';
import type { Report } from '../../../api/services/reports/report.js';
import { newKeyPair, privateKeyOf, publicKeyOf, verifyBytes } from '../../../api/services/reports/signing.js';
import type { Principal } from '../../../api/services/query-service.js';
import { DEBUG, daysAgo, NOW, POSTGRES, seedReportHistory, type ReportHistory } from './report-history.js';

const READER: Principal = { tokenId: 1, name: 'reader', scopes: ['read'], clusterIds: null };
const CHROMIUM = '/usr/bin/chromium';
const hasPdfTools = existsSync(CHROMIUM) && existsSync('/usr/bin/pdftotext');

let h: ReportHistory;
let reports: ReportService;
let report: Report;
const keys = newKeyPair();
const publicKey = publicKeyOf(keys.publicKey);
let dir: string;

beforeAll(async () => {
  h = await seedReportHistory();
  reports = new ReportService(h.pool, {
    now: () => NOW,
    chromiumPath: CHROMIUM,
    signingKey: privateKeyOf(keys.privateKey),
  });
  report = await reports.run(READER, {
    type: 'access',
    cluster: 'prod',
    from: daysAgo(15).toISOString(),
    scope: { namespaces: ['db'] },
  });
  dir = mkdtempSync(join(tmpdir(), 'reachlog-report-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await h?.close();
});

describe('formats', () => {
  test('JSON is the report itself', async () => {
    const out = await reports.render(report, 'json');
    expect(JSON.parse(out.bytes.toString())).toEqual(report);
    expect(out.filename).toMatch(/^reachlog-access-prod-2025-06-01T12-00-00-000Z\.json$/);
  });

  test('Markdown and HTML carry the facts, the tables and the evidence; HTML loads nothing', async () => {
    const md = (await reports.render(report, 'md')).bytes.toString();
    expect(md).toContain('# Access to workloads of prod');
    expect(md).toContain(`| ${POSTGRES} | ${DEBUG} | TCP 5432 |`);
    expect(md).toContain('## Objects analysed');
    const html = (await reports.render(report, 'html')).bytes.toString();
    expect(html).toContain('<td>db/debug-access</td>');
    expect(html).toContain('@page');
    expect(html).not.toMatch(/<script|<link|src=|url\(/);
  });

  test('CSV: one file per table, zipped, quoted per RFC 4180', async () => {
    const out = await reports.render(report, 'csv');
    expect(out.contentType).toBe('application/zip');
    const files = unzipSync(out.bytes);
    expect(Object.keys(files).sort()).toEqual([
      'access.csv',
      'evidence-collection-problems.csv',
      'evidence-objects.csv',
      'evidence-snapshots.csv',
      'report.csv',
    ]);
    const access = strFromU8(files['access.csv']!).split('\r\n');
    expect(access[0]).toBe('workload,source,ports,access began,access ended,began before the period,held at the end');
    expect(access).toContain(
      `${POSTGRES},${DEBUG},TCP 5432,${daysAgo(10).toISOString()},${daysAgo(5).toISOString()},no,no`,
    );
    // The same report zips to the same bytes (entries carry the report's time).
    expect(Buffer.from((await reports.render(report, 'csv')).bytes).equals(Buffer.from(out.bytes))).toBe(true);
  });

  test.skipIf(!hasPdfTools)(
    "PDF printed by Chromium reads back (pdftotext) with the report's text",
    async () => {
      const out = await reports.render(report, 'pdf');
      expect(out.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const file = join(dir, 'report.pdf');
      writeFileSync(file, out.bytes);
      const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Access to workloads of prod');
      // Narrow cells wrap long ids across lines: compare without whitespace.
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain(`${POSTGRES}${DEBUG}TCP5432`);
      expect(text).toContain('Objects analysed');
      expect(verifyBytes(out.bytes, out.signature, publicKey).ok).toBe(true);
    },
    60_000,
  );

  test('PDF without a browser: a clear error naming what to install', async () => {
    const noBrowser = new ReportService(h.pool, { now: () => NOW, chromiumPath: join(dir, 'no-chromium') });
    const failure = noBrowser.render(report, 'pdf');
    await expect(failure).rejects.toBeInstanceOf(BrowserMissingError);
    await expect(failure).rejects.toThrow(/apt-get install chromium.*REACHLOG_CHROMIUM_PATH/);
  });

  test('an unknown format is refused with the list', async () => {
    await expect(reports.render(report, 'xlsx')).rejects.toThrow(/format "xlsx": one of json, md, html, pdf, csv/);
  });
});

describe('signatures', () => {
  test.each(['json', 'md', 'html', 'csv'])(
    '%s: the detached signature verifies with the public key',
    async (format) => {
      const out = await reports.render(report, format);
      expect(out.signature).toMatchObject({ algorithm: 'ed25519', reachlogSignature: 1 });
      expect(verifyBytes(out.bytes, out.signature, publicKey)).toEqual({
        ok: true,
        keyFingerprint: out.signature!.keyFingerprint,
      });
    },
  );

  test('tampering fails: one changed byte, a swapped signature, another key', async () => {
    const out = await reports.render(report, 'md');
    const tampered = Buffer.from(out.bytes.toString().replace('TCP 5432', 'TCP 5433'));
    expect(verifyBytes(tampered, out.signature, publicKey)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/file was changed/),
    });
    const other = newKeyPair();
    expect(verifyBytes(out.bytes, out.signature, publicKeyOf(other.publicKey))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not by the trusted key/),
    });
    // A signature whose digest was fixed up to match the tampered file still fails the ed25519 check.
    const forged = {
      ...out.signature!,
      sha256: (await import('node:crypto')).createHash('sha256').update(tampered).digest('hex'),
    };
    expect(verifyBytes(tampered, forged, publicKey)).toMatchObject({
      ok: false,
      reason: 'the signature does not match the file',
    });
  });

  test('without a key: unsigned, and the report says so', async () => {
    const unsigned = new ReportService(h.pool, { now: () => NOW, chromiumPath: CHROMIUM });
    const r = await unsigned.run(READER, { type: 'exposure', cluster: 'prod', from: daysAgo(2).toISOString() });
    expect(r.qualifications.join('\n')).toMatch(/not signed/);
    expect((await unsigned.render(r, 'json')).signature).toBeUndefined();
  });

  test('keys: a non-ed25519 key is refused naming the variable', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(() => privateKeyOf(rsa)).toThrow(/REACHLOG_REPORT_SIGNING_KEY: an rsa key; reports are signed with ed25519/);
    expect(() => privateKeyOf('not a key')).toThrow(/REACHLOG_REPORT_SIGNING_KEY: not a private key/);
  });
});
