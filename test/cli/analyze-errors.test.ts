import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli, runCliAsync } from './run-cli.js';

const BAD = 'test/fixtures/cli-errors';

describe('reachlog analyze on bad input', () => {
  const run = runCli('analyze', BAD);

  test.each([
    ['malformed YAML', /malformed\.yaml, document 2: malformed YAML at line \d+/],
    [
      'unknown selector operator',
      /bad-policies\.yaml, document 1: NetworkPolicy app\/bad-operator spec\.podSelector\.matchExpressions\[0\]\.operator: unknown operator "Equals"/,
    ],
    [
      'port out of range',
      /document 2: NetworkPolicy app\/bad-port spec\.ingress\[0\]\.ports\[0\]\.port: port 70000 is out of range/,
    ],
    [
      'invalid CIDR',
      /document 3: NetworkPolicy app\/bad-cidr spec\.egress\[0\]\.to\[0\]\.ipBlock\.cidr: "10\.0\.0\/8" is not a valid CIDR/,
    ],
    [
      'except outside its cidr',
      /document 4: NetworkPolicy app\/bad-except spec\.egress\[0\]\.to\[0\]\.ipBlock\.except\[0\]: 10\.1\.0\.0\/24 must be a strict subset of cidr 10\.0\.0\.0\/16/,
    ],
  ])('names file, document, object and field for %s', (_, pattern) => {
    expect(run.stderr).toMatch(pattern);
  });

  test('without --strict the analysis goes on without the bad objects and says so', () => {
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/left out 5 invalid object\(s\), analyzing the rest/);
    // deny-all (valid) isolates app/ok-pod, so only the outside can not reach it: no line names it as destination.
    expect(run.stdout).not.toMatch(/=> app\/ok-pod\[Pod\]/);
    expect(run.stdout).toMatch(/^app\/ok-pod\[Pod\] => /m);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack traces for bad input
  });

  test('--strict stops with exit code 1 and no output', () => {
    const strict = runCli('analyze', BAD, '--strict');
    expect(strict.status).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toMatch(/5 invalid input object\(s\)/);
  });

  test('a missing path is a usage error', () => {
    const missing = runCli('analyze', 'no/such/dir');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no\/such\/dir: no such file or directory/);
  });

  test('an unknown output format is a usage error naming the choices', () => {
    const r = runCli('analyze', 'examples/shop', '--output', 'xml');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--output xml: expected one of txt, json, csv, md, dot, mermaid/);
  });
});

describe('admin commands check their arguments before touching the database', () => {
  test('cluster add refuses a name the API would refuse, naming it', () => {
    const r = runCli('cluster', 'add', 'has space', '--manifests', 'examples/shop');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `reachlog: cluster name "has space": expected 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit\n`,
    );
  });

  test('cluster add checks its source here first: the directory, the kubeconfig and its context', async () => {
    const home = mkdtempSync(join(tmpdir(), 'reachlog-home-'));
    const bare = { ...process.env, HOME: home, KUBECONFIG: '' };
    const noDir = await runCliAsync(['cluster', 'add', 'x', '--manifests', 'no/such/dir'], bare);
    expect(noDir.status).toBe(2);
    expect(noDir.stderr).toBe(`reachlog: --manifests ${join(REPO, 'no/such/dir')}: no such directory\n`);
    const file = await runCliAsync(['cluster', 'add', 'x', '--manifests', 'package.json'], bare);
    expect(file.stderr).toMatch(/: not a directory\n$/);
    const none = await runCliAsync(['cluster', 'add', 'x'], bare);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe('reachlog: no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a pod\n');
    const kubeconfig = join(home, 'config');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]\n' +
        'users: [{name: u, user: {token: t}}]\ncontexts: [{name: prod, context: {cluster: k, user: u}}]\ncurrent-context: prod\n',
    );
    const typo = await runCliAsync(['cluster', 'add', 'x', '--context', 'prd'], { ...bare, KUBECONFIG: kubeconfig });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('reachlog: --context prd: kubeconfig has no context "prd" (contexts: "prod")\n');
  });

  test('a database never created or migrated is one line saying to run migrate, not a stack', async () => {
    const url = `postgresql://postgres@127.0.0.1:5432/reachlog_never_created_${process.pid}`;
    const r = await runCliAsync(['cluster', 'list'], { ...process.env, DATABASE_URL: url });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^reachlog: the database at 127\.0\.0\.1:5432 \(DATABASE_URL\) is not set up: .*; run `reachlog migrate`\n$/,
    );
  });

  test('token create refuses a bad --name and --scope with the API’s words', () => {
    expect(runCli('token', 'create', '--name', 'a/b').stderr).toMatch(
      /^reachlog: --name "a\/b": expected 1-63 letters/,
    );
    expect(runCli('token', 'create', '--name', 'ok', '--scope', 'root').stderr).toBe(
      'reachlog: --scope "root": expected read or admin\n',
    );
  });
});
