import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';
import { REPO, runCliAsync, type CliResult } from '../cli/run-cli.js';

let h: ApiHarness;
let env: NodeJS.ProcessEnv;
const children = new Set<ChildProcessWithoutNullStreams>();

function start(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['bin/reachlog.js', ...args], { cwd: REPO, env });
  children.add(child);
  child.on('close', () => children.delete(child));
  return child;
}

const runCli = (...args: string[]): Promise<CliResult> => runCliAsync(args, env);

beforeAll(async () => {
  h = await createApiHarness();
  await h.clusters.add('prod', { kind: 'kube', context: 'prod' }, 300);
  await h.clusters.add('staging', { kind: 'kube', context: 'staging' }, 300);
  // As in production: vitest's NODE_ENV=test would hide libraries' own signal handlers.
  env = { ...process.env, NODE_ENV: undefined, DATABASE_URL: h.database.url, REDIS_URL: h.redisDb.url };
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await h?.close();
});

describe('reachlog token and reachlog api', () => {
  let secret = '';

  test('token create prints the secret once, on stdout alone; only its hash is stored', async () => {
    const r = await runCli('token', 'create', '--name', 'dashboard', '--scope', 'read', '--cluster', 'prod');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^rl_[A-Za-z0-9_-]{43}\n$/);
    expect(r.stderr).toMatch(/created token dashboard \(read\); the secret is shown only now/);
    secret = r.stdout.trim();
    const { rows } = await h.pool.query('SELECT * FROM api_token WHERE name = $1', ['dashboard']);
    expect(rows).toHaveLength(1);
    expect(rows[0].secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  test('token create refuses a taken name, an unknown scope or cluster', async () => {
    const taken = await runCli('token', 'create', '--name', 'dashboard');
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/already exists/);
    expect((await runCli('token', 'create', '--name', 'x', '--scope', 'root')).status).toBe(2);
    const cluster = await runCli('token', 'create', '--name', 'x', '--cluster', 'nope');
    expect(cluster.status).toBe(1);
    expect(cluster.stderr).toBe('reachlog: cluster "nope" not found\n');
  });

  test('token list shows name, scope and cluster, never the secret', async () => {
    await runCli('token', 'create', '--name', 'ops', '--scope', 'admin');
    const r = await runCli('token', 'list');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^dashboard\tread\tcluster prod\tcreated \S+\tnever used$/);
    expect(lines[1]).toMatch(/^ops\tadmin\tall clusters\t/);
    expect(r.stdout).not.toContain(secret);
  });

  test('api --port 0 serves with that token, and stops cleanly on SIGTERM', async () => {
    const api = start(['api', '--port', '0', '--host', '127.0.0.1']);
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      api.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      api.on('close', (code) => reject(new Error(`api exited ${code}: ${out}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const clusters = await fetch(`${base}/api/v1/clusters`, { headers: { authorization: `Bearer ${secret}` } });
    expect(clusters.status).toBe(200);
    expect(((await clusters.json()) as { items: { name: string }[] }).items.map((c) => c.name)).toEqual(['prod']);
    const graphql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ clusters { edges { node { name } } } }' }),
    });
    expect(await graphql.json()).toEqual({ data: { clusters: { edges: [{ node: { name: 'prod' } }] } } });
    expect((await runCli('token', 'list')).stdout).toMatch(/^dashboard\t.*\tlast used \S+$/m);

    await runCli('token', 'revoke', 'dashboard');
    expect((await fetch(`${base}/api/v1/clusters`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(
      401,
    );

    const exited = new Promise<number | null>((resolve) => api.on('close', resolve));
    api.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('reachlog api: stopping');
  });

  test('token revoke: an unknown or already revoked name is exit 1', async () => {
    const r = await runCli('token', 'revoke', 'dashboard');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('reachlog: no active token named "dashboard"\n');
    const list = await runCli('token', 'list');
    expect(list.stdout).not.toMatch(/^dashboard/m);
    // The name is free again.
    expect((await runCli('token', 'create', '--name', 'dashboard')).status).toBe(0);
  });
});
