import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createQueryService } from '../../../api/services/postgres-query-service.js';
import { ClustersRepository } from '../../../store/clusters.repository.js';
import { createPool } from '../../../store/db/pool.js';
import { replayTimeline } from '../../../worker/demo/replay-timeline.js';
import { createTestDatabase } from '../../support/test-database.js';
import { READER } from '../demo-history.js';

/**
 * The issue's reproductions: one Deployment app/web whose ingress policy changes from version to
 * version (v0 oldest, a day apart), asked over the REST/GraphQL service.
 */
const NOW = new Date('2025-06-01T12:00:00.000Z');
const WEB = 'app/web[Deployment]';

const base = `apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`;

type Port = [string, number];
const rule = (cidr: string, ports: Port[]) =>
  `  - from: [{ipBlock: {cidr: ${cidr}}}]\n    ports: [${ports.map(([p, n]) => `{protocol: ${p}, port: ${n}}`).join(', ')}]\n`;
const policy = (...rules: string[]) =>
  `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-in, namespace: app}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n  ingress:\n${rules.join('')}`;

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A cluster whose history is these versions of the manifests, the last one a day before NOW. */
async function history(versions: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlog-net-'));
  dirs.push(dir);
  const points = versions.map((text, i) => {
    mkdirSync(join(dir, `v${i}`));
    writeFileSync(join(dir, `v${i}`, 'all.yaml'), text);
    return `  - dir: v${i}\n    daysAgo: ${versions.length - i}\n`;
  });
  writeFileSync(join(dir, 'timeline.yaml'), `cluster: repro\npoints:\n${points.join('')}`);
  const database = await createTestDatabase();
  const pool = createPool(database.url);
  closers.push(async () => {
    await pool.end();
    await database.drop();
  });
  const cluster = await new ClustersRepository(pool).add('repro', { kind: 'manifests', dir }, 86_400);
  const outcomes = await replayTimeline(pool, cluster.id, dir, NOW);
  return { service: createQueryService(pool, { now: () => NOW }), snapshots: outcomes.map((o) => o.snapshotId) };
}

const ports = (list: { protocol: string; ports: [number, number][] }[]) =>
  list.map((r) => `${r.protocol} ${r.ports.map(([lo, hi]) => (lo === hi ? lo : `${lo}-${hi}`)).join(',')}`).join(' + ');

describe('net changes over re-cut outside addresses', () => {
  test('v0 10/8 TCP 80; v1 adds UDP 53; v2 adds 10.0.0.0/16 UDP 5353: diff v0→v2 is two disjoint widenings from the two snapshots', async () => {
    const h = await history([
      base + policy(rule('10.0.0.0/8', [['TCP', 80]])),
      base +
        policy(
          rule('10.0.0.0/8', [
            ['TCP', 80],
            ['UDP', 53],
          ]),
        ),
      base +
        policy(
          rule('10.0.0.0/8', [
            ['TCP', 80],
            ['UDP', 53],
          ]),
          rule('10.0.0.0/16', [['UDP', 5353]]),
        ),
    ]);
    const diff = await h.service.diff(READER, {
      cluster: 'repro',
      from: `snapshot:${h.snapshots[0]}`,
      to: `snapshot:${h.snapshots[2]}`,
    });
    const rows = diff.items.map((c) => [c.change, c.srcText, ports(c.before), ports(c.after), c.snapshotId]);
    expect(rows).toEqual([
      ['widened', '10.0.0.0/16', 'TCP 80', 'TCP 80 + UDP 53,5353', h.snapshots[2]],
      ['widened', '10.0.0.0/8 except 10.0.0.0/16', 'TCP 80', 'TCP 80 + UDP 53', h.snapshots[1]],
    ]);
    // who-can-reach since v0 gives the same net changes, and keeps the events step by step.
    const who = await h.service.whoCanReach(READER, {
      cluster: 'repro',
      target: WEB,
      since: `snapshot:${h.snapshots[0]}`,
      at: `snapshot:${h.snapshots[2]}`,
    });
    expect(who.netChanges!.map((c) => [c.change, c.srcText, ports(c.before), ports(c.after)])).toEqual(
      rows.map((r) => r.slice(0, 4)),
    );
    expect(who.changes!.map((c) => [c.change, c.srcText, ports(c.before), ports(c.after), c.snapshotId])).toEqual([
      ['widened', '10.0.0.0/8', 'TCP 80', 'TCP 80 + UDP 53', h.snapshots[1]],
      ['widened', '10.0.0.0/16', 'TCP 80 + UDP 53', 'TCP 80 + UDP 53,5353', h.snapshots[2]],
    ]);
  });

  test('v0 10/8 TCP 80; v1 adds 10.0.0.0/16 UDP 5353; v2 also UDP 5354: 10.0.0.0/16 widened from TCP 80, not added', async () => {
    const h = await history([
      base + policy(rule('10.0.0.0/8', [['TCP', 80]])),
      base + policy(rule('10.0.0.0/8', [['TCP', 80]]), rule('10.0.0.0/16', [['UDP', 5353]])),
      base +
        policy(
          rule('10.0.0.0/8', [['TCP', 80]]),
          rule('10.0.0.0/16', [
            ['UDP', 5353],
            ['UDP', 5354],
          ]),
        ),
    ]);
    const diff = await h.service.diff(READER, {
      cluster: 'repro',
      from: `snapshot:${h.snapshots[0]}`,
      to: `snapshot:${h.snapshots[2]}`,
    });
    expect(diff.items.map((c) => [c.change, c.srcText, ports(c.before), ports(c.after), c.snapshotId])).toEqual([
      ['widened', '10.0.0.0/16', 'TCP 80', 'TCP 80 + UDP 5353-5354', h.snapshots[2]],
    ]);
  });

  test('a source that changed and changed back has no net change, though its events stay listed', async () => {
    const h = await history([
      base + policy(rule('10.0.0.0/8', [['TCP', 80]])),
      base +
        policy(
          rule('10.0.0.0/8', [
            ['TCP', 80],
            ['TCP', 443],
          ]),
        ),
      base + policy(rule('10.0.0.0/8', [['TCP', 80]])),
    ]);
    const since = `snapshot:${h.snapshots[0]}`;
    const who = await h.service.whoCanReach(READER, { cluster: 'repro', target: WEB, since });
    expect(who.netChanges).toEqual([]);
    expect(who.changes!.map((c) => [c.change, c.srcText])).toEqual([
      ['widened', '10.0.0.0/8'],
      ['narrowed', '10.0.0.0/8'],
    ]);
    const exposure = await h.service.exposure(READER, { cluster: 'repro', since });
    expect(exposure.netChanges).toEqual([]);
    const diff = await h.service.diff(READER, { cluster: 'repro', from: since });
    expect(diff.items).toEqual([]);
  });

  test('exposure since: each outside source with its net change to each workload', async () => {
    const h = await history([
      base + policy(rule('10.0.0.0/8', [['TCP', 80]])),
      base + policy(rule('0.0.0.0/0', [['TCP', 80]])),
    ]);
    const exposure = await h.service.exposure(READER, { cluster: 'repro', since: `snapshot:${h.snapshots[0]}` });
    expect(exposure.netChanges!.map((c) => [c.change, c.srcText, c.dst, ports(c.after), c.snapshotId])).toEqual([
      ['added', '0.0.0.0/0 except 10.0.0.0/8', WEB, 'TCP 80', h.snapshots[1]],
    ]);
  });
});

describe('stored history through the admin tiers', () => {
  const pods = (webIp: string) => `apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app, labels: {app: web}}
spec: {containers: [{name: web, image: nginx}]}
status: {podIP: ${webIp}, podIPs: [{ip: ${webIp}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: app, labels: {app: api}}
spec: {containers: [{name: api, image: api}]}
status: {podIP: 192.168.0.9, podIPs: [{ip: 192.168.0.9}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: no-ten}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}}
  egress: [{action: Deny, to: [{networks: [10.0.0.0/8]}]}]
`;

  test('a pod moving into an admin networks peer: the diff says who lost it, blaming the moved workload', async () => {
    const h = await history([pods('192.168.0.5'), pods('10.0.0.5')]);
    const diff = await h.service.diff(READER, { cluster: 'repro', from: `snapshot:${h.snapshots[0]}` });
    expect(diff.items.map((c) => [c.change, c.src, c.dst, c.snapshotId])).toEqual([
      ['removed', 'app/api[Pod]', 'app/web[Pod]', h.snapshots[1]],
    ]);
    expect(diff.items[0]!.causes.map((c) => `${c.kind} ${c.key}`)).toEqual(['Workload app/web[Pod]']);
  });

  test('an AdminNetworkPolicy port edit alone: the diff names the narrowed pair and the policy', async () => {
    const anp = (port: number) => `---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: web-80}
spec:
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}
  ingress:
  - action: Deny
    from: [{namespaces: {}}]
    ports: [{portNumber: {protocol: TCP, port: ${port}}}]
`;
    const api = `---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: app, labels: {app: api}}
spec: {containers: [{name: api, image: api}]}
`;
    const h = await history([base + api + anp(80), base + api + anp(81)]);
    const diff = await h.service.diff(READER, { cluster: 'repro', from: `snapshot:${h.snapshots[0]}` });
    expect(diff.items.map((c) => [c.change, c.src, c.dst, ports(c.before), ports(c.after), c.snapshotId])).toEqual([
      [
        'changed',
        'app/api[Pod]',
        WEB,
        'TCP 1-79,81-65535 + UDP 1-65535 + SCTP 1-65535',
        'TCP 1-80,82-65535 + UDP 1-65535 + SCTP 1-65535',
        h.snapshots[1],
      ],
    ]);
    expect(diff.items[0]!.causes.map((o) => `${o.kind} ${o.key}`)).toEqual(['AdminNetworkPolicy web-80']);
  });
});
