import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import { RepositoryAdminService } from '../../api/services/admin-service.js';
import { createQueryService } from '../../api/services/postgres-query-service.js';
import { OPERATOR } from '../../cli/services.js';
import { runCliAsync } from '../cli/run-cli.js';
import type { SnapshotJobs } from '../../store/queue/snapshot-jobs.js';
import { SnapshotsRepository } from '../../store/snapshots.repository.js';
import { snapshotProcessor, type SnapshotJob } from '../../worker/queue/snapshot.processor.js';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';

const POD = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: app}\nspec: {containers: [{name: c, image: x}]}\n`;
const BOMB = `${['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  .concat('bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`))
  .join('\n')}\n`;

let h: ApiHarness;
let admin: { Authorization: string };
const base = mkdtempSync(join(tmpdir(), 'reachlog-confined-'));
const root = join(base, 'root');
const outside = join(base, 'outside');
const savedRoot = process.env.REACHLOG_MANIFESTS_ROOT;

beforeAll(async () => {
  mkdirSync(join(root, 'team'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: SECRET_hunter2\n');
  writeFileSync(join(root, 'team', 'a-pod.yaml'), POD('ok'));
  writeFileSync(join(root, 'team', 'b-bomb.yaml'), `${POD('before')}---\n${BOMB}---\n${POD('after')}`);
  symlinkSync(outside, join(root, 'team', 'c-escape'));
  symlinkSync('.', join(root, 'team', 'd-loop'));
  h = await createApiHarness();
  admin = { Authorization: `Bearer ${await h.token('root', 'admin')}` };
});

afterAll(async () => {
  if (savedRoot === undefined) delete process.env.REACHLOG_MANIFESTS_ROOT;
  else process.env.REACHLOG_MANIFESTS_ROOT = savedRoot;
  await h?.close();
});

const register = async (app: Parameters<typeof request>[0], name: string, dir: string) =>
  request(app)
    .post('/api/v1/clusters')
    .set(admin)
    .send({ name, source: { kind: 'manifests', dir }, every: '1h' });

describe('registering manifests sources through the API', () => {
  test('with no root configured, none: not /etc/shadow, not /proc/self/environ, not a relative path', async () => {
    const app = await h.app();
    for (const dir of ['/etc/shadow', '/proc/self/environ', 'team']) {
      const res = await register(app, 'x', dir);
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/REACHLOG_MANIFESTS_ROOT/);
    }
    expect(await h.clusters.findByName('x')).toBeFalsy();
  });

  test('with a root, only under it: the same answer whether the path outside exists or not', async () => {
    const app = await h.app({ manifestsRoot: root });
    const details = [];
    for (const dir of ['/etc/shadow', '/etc/no-such-file', '../outside', `${root}/../outside`]) {
      const res = await register(app, 'x', dir);
      expect(res.status).toBe(400);
      details.push(res.body.detail);
    }
    expect(new Set(details).size).toBe(1);
    const ok = await register(app, 'team', 'team');
    expect(ok.status).toBe(201);
    expect((await h.clusters.findByName('team'))!.source).toEqual({ kind: 'manifests', dir: join(root, 'team') });
  });
});

describe('the worker reading a source under the root', () => {
  test('a billion-laughs document is one problem; the escape and the loop are named; the rest is analyzed', async () => {
    process.env.REACHLOG_MANIFESTS_ROOT = root;
    const cluster = (await h.clusters.findByName('team'))!;
    const snapshots = new SnapshotsRepository(h.pool);
    const job: SnapshotJob = {
      id: 'confined-1',
      data: { clusterId: cluster.id },
      updateProgress: async () => undefined,
      moveToDelayed: async () => undefined,
    };
    const outcome = await snapshotProcessor({ pool: h.pool, clusters: h.clusters, snapshots })(job);
    const dir = join(root, 'team');
    expect(outcome.problems).toEqual([
      `${join(dir, 'b-bomb.yaml')}, document 2: YAML aliases expand too far (over 1000 alias expansions)`,
      `${join(dir, 'c-escape')}: a symlink leading outside ${root}; not followed`,
      `${join(dir, 'd-loop')}: a directory already read (a symlink loop?); not followed`,
    ]);
    expect(outcome.counts).toMatchObject({ pods: 3 });
    expect(JSON.stringify(outcome)).not.toContain('hunter2');
  });
});

describe('a manifests source outside the root that no operator registered (registered before sources were confined)', () => {
  const jobFor = (clusterId: number, id: string): SnapshotJob => ({
    id,
    data: { clusterId },
    updateProgress: async () => undefined,
    moveToDelayed: async () => undefined,
  });
  // Confirming a source needs Postgres only: no job operation is asked for.
  const noJobs: SnapshotJobs = {
    ensureAvailable: () => undefined,
    schedule: async () => undefined,
    unschedule: async () => undefined,
    enqueue: async () => ({ jobId: 'none' }),
  };
  const adminFrom = (policy: ConstructorParameters<typeof RepositoryAdminService>[4]) =>
    new RepositoryAdminService(createQueryService(h.pool), h.clusters, h.tokens, noJobs, policy);

  test('is not read: one failed snapshot naming the cluster and REACHLOG_MANIFESTS_ROOT; its operator confirms it, then it is read', async () => {
    process.env.REACHLOG_MANIFESTS_ROOT = root;
    const legacy = await h.clusters.add('legacy', { kind: 'manifests', dir: outside }, 3600);
    // As migration 0007 leaves a cluster registered before it: who registered it is unknown.
    await h.pool.query('UPDATE cluster SET registered_from = NULL WHERE id = $1', [legacy.id]);
    const snapshots = new SnapshotsRepository(h.pool);
    const run = snapshotProcessor({ pool: h.pool, clusters: h.clusters, snapshots });
    const refused = await run(jobFor(legacy.id, 'legacy-1')).then(
      () => undefined,
      (e: Error) => e,
    );
    // Not retried: only a person can fix it.
    expect(refused).toBeInstanceOf(UnrecoverableError);
    expect(refused!.message).toMatch(/^cluster legacy: manifests source .* lies outside REACHLOG_MANIFESTS_ROOT/);
    const { rows } = await h.pool.query<{ status: string; error: string }>(
      'SELECT status, error FROM snapshot WHERE cluster_id = $1',
      [legacy.id],
    );
    expect(rows).toEqual([{ status: 'failed', error: refused!.message }]);
    expect(JSON.stringify(rows)).not.toContain('hunter2');

    // Not through the API: a token is what confinement guards against.
    await expect(adminFrom({ from: 'api', root }).confirmManifestSource(OPERATOR, 'legacy')).rejects.toThrow(
      /on the worker's host/,
    );
    await adminFrom({ from: 'operator', cwd: base }).confirmManifestSource(OPERATOR, 'legacy');
    writeFileSync(join(outside, 'pod.yaml'), POD('outside'));
    const outcome = await run(jobFor(legacy.id, 'legacy-2'));
    expect(outcome.counts).toMatchObject({ pods: 1 });
  });

  test('a source registered through the API, under a root since moved, is refused alike', async () => {
    const team = (await h.clusters.findByName('team'))!;
    expect(team.registeredFrom).toBe('api');
    process.env.REACHLOG_MANIFESTS_ROOT = outside;
    const run = snapshotProcessor({ pool: h.pool, clusters: h.clusters, snapshots: new SnapshotsRepository(h.pool) });
    await expect(run(jobFor(team.id, 'moved-1'))).rejects.toThrow(
      /^cluster team: manifests source .* lies outside REACHLOG_MANIFESTS_ROOT \(.*outside\) and was registered through the API/,
    );
  });

  test('`reachlog cluster confirm-source` on the worker host (Postgres only): a manifests source is confirmed, a kube one refused', async () => {
    const old = await h.clusters.add('old', { kind: 'manifests', dir: outside }, 3600);
    await h.pool.query('UPDATE cluster SET registered_from = NULL WHERE id = $1', [old.id]);
    await h.clusters.add('kube', { kind: 'kube', context: 'prod' }, 3600);
    // No Redis to be had: the command must not need it.
    const env = { ...process.env, DATABASE_URL: h.database.url, REDIS_URL: 'redis://127.0.0.1:1' };
    expect(await runCliAsync(['cluster', 'confirm-source', 'old'], env)).toMatchObject({
      status: 0,
      stdout: 'old: manifests source confirmed; the next snapshot reads it\n',
    });
    expect((await h.clusters.findByName('old'))!.registeredFrom).toBe('operator');
    expect(await runCliAsync(['cluster', 'confirm-source', 'kube'], env)).toMatchObject({
      status: 1,
      stderr: 'reachlog: cluster kube reads a Kubernetes API, not a manifests directory\n',
    });
  });
});
