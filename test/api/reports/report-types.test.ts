import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReportService } from '../../../api/services/reports/report-service.js';
import type { Report, ReportTable } from '../../../api/services/reports/report.js';
import type { Principal } from '../../../api/services/query-service.js';
import { DEBUG, daysAgo, FRONTEND, NOW, POSTGRES, seedReportHistory, type ReportHistory } from './report-history.js';

const READER: Principal = { tokenId: 1, name: 'reader', scopes: ['read'], clusterIds: null };
const iso = (d: number) => daysAgo(d).toISOString();

let h: ReportHistory;
let reports: ReportService;

beforeAll(async () => {
  h = await seedReportHistory();
  reports = new ReportService(h.pool, { now: () => NOW, chromiumPath: '/usr/bin/chromium' });
});
afterAll(() => h?.close());

/** A table's rows as objects keyed by column. */
function rowsOf(report: Report, name: string): Record<string, unknown>[] {
  const t = report.tables.find((x) => x.name === name) as ReportTable;
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

const run = (type: string, extra: Partial<Parameters<ReportService['run']>[1]> = {}) =>
  reports.run(READER, { type, cluster: 'prod', from: iso(15), ...extra });

describe('exposure', () => {
  test('isolation and openness judged over the whole period; what held for part of it says when', async () => {
    const r = await run('exposure');
    const byId = new Map(rowsOf(r, 'workloads').map((w) => [w.workload, w]));
    expect(byId.get(POSTGRES)).toMatchObject({ 'ingress isolated': 'throughout', 'open to outside addresses': false });
    // tools had no policy until day -5: not isolated, and open to everything, for the first 10 days of 15.
    expect(byId.get(DEBUG)).toMatchObject({
      'ingress isolated': 'partly',
      'not ingress-isolated': `${iso(15)} – ${iso(5)}`,
      'open to 0.0.0.0/0': `${iso(15)} – ${iso(5)}`,
    });
    expect(byId.get(FRONTEND)).toMatchObject({
      'ingress isolated': 'throughout',
      'open to 0.0.0.0/0': `${iso(15)} – end of period`,
    });
    expect(rowsOf(r, 'outside-access')).toContainEqual({
      workload: FRONTEND,
      addresses: '0.0.0.0/0',
      ports: 'TCP 443',
      from: iso(15),
      until: null,
    });
    expect(rowsOf(r, 'cross-namespace-access').filter((x) => x.workload === POSTGRES)).toEqual([
      {
        workload: POSTGRES,
        'source namespace': 'tools',
        source: DEBUG,
        ports: 'TCP 5432',
        from: iso(10),
        until: iso(5),
      },
      {
        workload: POSTGRES,
        'source namespace': 'web',
        source: FRONTEND,
        ports: 'TCP 5432',
        from: iso(15),
        until: null,
      },
    ]);
    expect(rowsOf(r, 'namespaces').find((n) => n.namespace === 'tools')).toMatchObject({
      'ingress-isolated throughout': 0,
      'open to 0.0.0.0/0': 1,
    });
  });

  test('a period after tools was locked down finds it isolated throughout', async () => {
    const r = await run('exposure', { from: iso(4), scope: { namespaces: ['tools'] } });
    expect(rowsOf(r, 'workloads')).toEqual([
      expect.objectContaining({ workload: DEBUG, 'ingress isolated': 'throughout' }),
    ]);
    expect(rowsOf(r, 'outside-access')).toEqual([]);
  });

  test('scope by workload selector keeps only matching workloads, and the evidence only their namespaces', async () => {
    const r = await run('exposure', { scope: { workloadSelector: 'app=postgres' } });
    expect(rowsOf(r, 'workloads').map((w) => w.workload)).toEqual([POSTGRES]);
    const r2 = await run('exposure', { scope: { namespaceSelector: 'pci=true' } });
    expect(new Set(r2.evidence.objects.map((o) => o.key.split('/')[0]))).toEqual(new Set(['db']));
  });
});

describe('access', () => {
  test('who could reach postgres, with when access began and ended', async () => {
    const r = await run('access', { scope: { namespaces: ['db'] } });
    expect(rowsOf(r, 'access')).toEqual([
      {
        workload: POSTGRES,
        source: DEBUG,
        ports: 'TCP 5432',
        'access began': iso(10),
        'access ended': iso(5),
        'began before the period': false,
        'held at the end': false,
      },
      {
        workload: POSTGRES,
        source: FRONTEND,
        ports: 'TCP 5432',
        // Access older than the period: since history's first snapshot.
        'access began': iso(20),
        'access ended': null,
        'began before the period': true,
        'held at the end': true,
      },
    ]);
  });
});

describe('policy-audit', () => {
  test('creations and deletions with the exposure changes stored with them', async () => {
    const r = await run('policy-audit');
    const changes = rowsOf(r, 'policy-changes').map((c) => [c.at, c.policy, c.change]);
    expect(changes).toEqual([
      [iso(10), 'db/debug-access', 'created'],
      [iso(5), 'db/debug-access', 'deleted'],
      [iso(5), 'tools/default-deny', 'created'],
    ]);
    expect(rowsOf(r, 'exposure-changes')).toContainEqual(
      expect.objectContaining({ policy: 'db/debug-access', change: 'added', source: DEBUG, destination: POSTGRES }),
    );
  });

  test('a period before any change lists none', async () => {
    const r = await run('policy-audit', { from: iso(19), to: iso(11) });
    expect(rowsOf(r, 'policy-changes')).toEqual([]);
  });
});

describe('controls', () => {
  test('each control judged throughout the period, with the first failure', async () => {
    const r = await run('controls', { options: { zones: [{ selector: 'pci=true', allowFrom: ['web'] }] } });
    const controls = new Map(rowsOf(r, 'controls').map((c) => [c.control, c]));
    // tools had no NetworkPolicy until day -5: the control failed from the period's start.
    expect(controls.get('CIS-5.3.2')).toMatchObject({
      result: 'fail',
      'first failed at': iso(15),
      'failing objects': 1,
    });
    expect(controls.get('default-deny-ingress')).toMatchObject({ result: 'fail', 'failing objects': 2 });
    expect(controls.get('no-world-exposure')).toMatchObject({ result: 'fail', 'failing objects': 2 });
    // The zone was breached only while debug-access existed.
    expect(controls.get('segmentation:pci=true')).toMatchObject({ result: 'fail', 'first failed at': iso(10) });
    const failures = rowsOf(r, 'failures');
    expect(failures).toContainEqual({
      control: 'CIS-5.3.2',
      object: 'Namespace tools',
      why: 'no NetworkPolicy',
      'failing from': iso(15),
      until: iso(5),
    });
    expect(failures).toContainEqual(
      expect.objectContaining({ control: 'default-deny-ingress', object: 'Namespace web', until: null }),
    );
  });

  test('after the lockdown, with web allowed on 0.0.0.0/0 and exempt from default deny, every control passes', async () => {
    const r = await run('controls', {
      from: iso(4),
      options: {
        worldAllowList: ['web/*'],
        exemptNamespaces: ['web'],
        zones: [{ selector: 'pci=true', allowFrom: ['web'] }],
      },
    });
    expect(rowsOf(r, 'controls').map((c) => [c.control, c.result])).toEqual([
      ['CIS-5.3.2', 'pass'],
      ['default-deny-ingress', 'pass'],
      ['no-world-exposure', 'pass'],
      ['segmentation:pci=true', 'pass'],
    ]);
  });

  test('egress deny is checked only when asked, and then fails everywhere here', async () => {
    const r = await run('controls', { from: iso(4), options: { requireEgressDeny: true } });
    expect(rowsOf(r, 'controls').find((c) => c.control === 'default-deny-egress')).toMatchObject({
      result: 'fail',
      'failing objects': 3,
    });
  });
});

describe('evidence and qualifications', () => {
  test('snapshots read, objects with versions and hashes, failed collections, version', async () => {
    const r = await run('exposure');
    expect(r.evidence.snapshots.map((s) => s.id)).toEqual([h.snapshots.day20, h.snapshots.day10, h.snapshots.day5]);
    expect(r.evidence.snapshots.every((s) => /^[\w-]{20,}$/.test(s.contentHash ?? ''))).toBe(true);
    expect(r.evidence.unchangedSnapshots).toBe(1);
    const debugAccess = r.evidence.objects.filter((o) => o.key === 'db/debug-access');
    expect(debugAccess).toEqual([
      expect.objectContaining({
        kind: 'NetworkPolicy',
        validFromSnapshot: h.snapshots.day10,
        validToSnapshot: h.snapshots.day5,
      }),
    ]);
    expect(r.evidence.collectionProblems).toEqual([
      expect.objectContaining({ problem: 'collection failed: connection refused', firstSeen: iso(3) }),
    ]);
    expect(r.evidence.reachlogVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.qualifications.join('\n')).toMatch(/1 collection\(s\) failed/);
  });

  test('a period starting before history says it covers only what history holds', async () => {
    const r = await run('exposure', { from: iso(40) });
    expect(r.evidence.period.coveredFrom).toBe(iso(20));
    expect(r.qualifications.join('\n')).toContain(`begins at ${iso(20)}`);
  });

  test('bad input names the field', async () => {
    await expect(run('inventory')).rejects.toThrow(/report type "inventory": one of exposure/);
    await expect(run('exposure', { to: iso(16) })).rejects.toThrow(/must be before to/);
    await expect(run('exposure', { scope: { workloadSelector: 'app in (' } })).rejects.toThrow(/workloadSelector/);
    await expect(run('controls', { options: { zones: [{ selector: '=x' }] } })).rejects.toThrow(
      /options.zones\[0\].selector/,
    );
    await expect(reports.run(READER, { type: 'exposure', cluster: 'nope', from: iso(1) })).rejects.toThrow(/not found/);
  });
});
