import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'reachlog-scan-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const pod = (name: string, ip = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: app, labels: {app: ${name}}}\nspec: {containers: [{name: c, image: x}]}\n` +
  (ip ? `status: {podIP: ${ip}}\n` : '');

const policy = (apiVersion: string, kind: string, name: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}, namespace: app}\nspec: {podSelector: {}}\n`;

describe('reachlog analyze on a real repository', () => {
  const root = tree({
    'deploy/app.yaml': pod('web'),
    'deploy/legacy-policy.yaml': policy('extensions/v1beta1', 'NetworkPolicy', 'legacy'),
    'deploy/cilium.yaml': policy('cilium.io/v2', 'CiliumNetworkPolicy', 'l7'),
    'deploy/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\n',
    'chart/values.yaml': 'replicaCount: 2\nimage:\n  repository: nginx\n',
    'node_modules/some-package/pod.yaml': pod('from-node-modules'),
    '.github/workflows/ci.yml': 'on: [push]\njobs: {test: {runs-on: ubuntu-latest}}\n',
    'test/fixtures/broken.yaml': 'kind: Pod\nmetadata: {name: [unclosed\n',
  });
  const run = runCli('analyze', root, '--exclude', 'test/**');

  test('node_modules, hidden and excluded directories are not read; other files are skipped, not errors', () => {
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.stdout).toMatch(/app\/web\[Pod\]/);
    expect(run.stdout).not.toMatch(/from-node-modules/);
    expect(run.stderr).toMatch(/skipped 1 file without Kubernetes objects \(e\.g\. .*chart\/values\.yaml\)/);
    expect(run.stderr).toMatch(/Kustomization×1/);
  });

  test('policy kinds reachlog does not evaluate are a warning: access may be narrower than reported', () => {
    expect(run.stderr).toMatch(
      /reachlog: warning: policy kinds reachlog does not evaluate are present: real access may be narrower than reported \(.*NetworkPolicy \(extensions\/v1beta1\)×1.*\)/,
    );
    expect(run.stderr).toMatch(/CiliumNetworkPolicy×1/);
  });

  test('without --exclude the broken fixture is an error', () => {
    const all = runCli('analyze', root);
    expect(all.stderr).toMatch(/reachlog: error: .*test\/fixtures\/broken\.yaml, document 1: malformed YAML/);
  });
});

describe('warnings people read', () => {
  // Five policies whose ipBlock covers a pod's address: five near-identical warnings.
  const policies = [1, 2, 3, 4, 5].map(
    (i) =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${i}, namespace: app}\n` +
      `spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.${i}.0/24}}]}]}\n`,
  );
  const pods = [1, 2, 3, 4, 5].map((i) => pod(`w${i}`, `10.0.${i}.7`));
  const root = tree({ 'all.yaml': [...policies, ...pods].join('---\n') });

  test('repeated warnings are one line with a count and three examples', () => {
    const r = runCli('analyze', root);
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n');
    expect(lines.filter((l) => l.startsWith('reachlog: warning: '))).toEqual([
      expect.stringMatching(/^reachlog: warning: ipBlocks cover pod addresses; .*: 5 warnings, e\.g\.$/),
    ]);
    expect(lines.filter((l) => /^ {2}NetworkPolicy app\/p\d /.test(l))).toHaveLength(3);
    expect(r.stderr).toMatch(/… and 2 more \(--verbose or --output json lists them all\)/);
  });

  test('--verbose prints every one', () => {
    const r = runCli('analyze', root, '--verbose');
    expect(r.stderr.split('\n').filter((l) => /^reachlog: warning: NetworkPolicy app\/p\d /.test(l))).toHaveLength(5);
  });
});

describe('exit codes and messages', () => {
  test.each([
    [['cluster', 'add'], /^reachlog: missing required argument 'name'/],
    [['token', 'create'], /^reachlog: required option '--name <name>' not specified/],
    [['analyze', 'examples/shop', '--no-such-flag'], /^reachlog: unknown option '--no-such-flag'/],
    // Checked before the worker reaches for its stores: no stack from BullMQ.
    [['worker', '--concurrency', 'abc'], /^reachlog: --concurrency "abc": expected 1-64\n$/],
  ])('a usage error of %j exits 2 with the reachlog: prefix', (args, message) => {
    const r = runCli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test.each([['--focus'], ['--explain']])(
    '%s naming no workload exits 1 with a message, never an empty answer',
    (flag) => {
      const peers =
        flag === '--focus' ? ['shop/nothing[Deployment]'] : ['shop/nothing[Deployment]', 'db/postgres[StatefulSet]'];
      const r = runCli('analyze', 'examples/shop', flag, ...peers);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^reachlog: ${flag} shop/nothing\\[Deployment\\]: no such workload`, 'm'));
    },
  );
});

describe('reachlog analyze on hostile trees', () => {
  test('a symlink loop is a warning and each directory is read once; a billion-laughs document is one error, the rest analyzed', () => {
    const bomb = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
      .concat('bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`))
      .join('\n');
    const root = tree({ 'app.yaml': pod('web'), 'bomb.yaml': `${bomb}\n---\n${pod('after-bomb')}` });
    symlinkSync('.', join(root, 'loop'));
    const run = runCli('analyze', root);
    expect(run.stderr).toContain(
      `reachlog: warning: ${join(root, 'loop')}: a directory already read (a symlink loop?); not followed`,
    );
    expect(run.stderr).toContain(`${join(root, 'bomb.yaml')}, document 1: YAML aliases expand too far`);
    expect(run.stdout).toMatch(/app\/web\[Pod\]/);
    expect(run.stdout).toMatch(/app\/after-bomb\[Pod\]/);
  });
});
