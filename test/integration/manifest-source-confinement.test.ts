import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
