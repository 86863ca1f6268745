import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO, runCli } from './run-cli.js';

const FIXTURES = join(REPO, 'test/fixtures');
const withPairs = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'explain.txt')));

/** The bin run from the fixture's directory, so sources print as `input/…` like the golden file. */
function explainIn(dir: string, src: string, dst: string): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/reachlog.js'), 'analyze', 'input', '--explain', src, dst], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (/^reachlog: (no build in dist\/|dist\/ is older than)/.test(r.stderr)) throw new Error(r.stderr);
  return { status: r.status, stdout: r.stdout };
}

describe.each(withPairs)('reachlog analyze --explain on %s', (fixture) => {
  test('prints, pair by pair, what expected.explain.txt holds', () => {
    const dir = join(FIXTURES, fixture);
    const pairs = readFileSync(join(dir, 'explain.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.trim().split(/\s+/) as [string, string]);
    const outputs = pairs.map(([src, dst]) => {
      const r = explainIn(dir, src, dst);
      expect(r.status, `${src} ${dst}`).toBe(0);
      return r.stdout;
    });
    expect(outputs.join('\n')).toBe(readFileSync(join(dir, 'expected.explain.txt'), 'utf8'));
  });
});

describe('reachlog analyze --explain with addresses', () => {
  const DIR = 'test/fixtures/outside-addresses/input';

  test('names the ipBlock that does not contain the address', () => {
    const r = runCli('analyze', DIR, '--explain', '8.8.8.8', 'db/postgres[StatefulSet]', '--port', '5432');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('TCP 5432: denied');
    expect(r.stdout).toContain(
      'ingress rule 0 of db/allow-internal does not match 8.8.8.8: ipBlock 10.0.0.0/8 except 10.9.0.0/16 does not contain 8.8.8.8',
    );
  });

  test('a CIDR across policy boundaries is summed up part by part first', () => {
    const r = runCli('analyze', DIR, '--explain', 'ip:10.0.0.0/7', 'db/postgres[StatefulSet]');
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'ip:10.0.0.0/7 => db/postgres[StatefulSet]: policies treat 2 parts differently; each is explained below',
      '  10.0.0.0/8 except 10.9.0.0/16 => db/postgres[StatefulSet]: ALLOWED: TCP 5432',
      '  10.9.0.0/16, 11.0.0.0/8 => db/postgres[StatefulSet]: DENIED: no connections',
    ]);
  });

  test('a malformed address is a usage error (2); a name that is no workload is bad input (1)', () => {
    const bad = runCli('analyze', DIR, '--explain', 'ip:10.0.0/8', 'db/postgres[StatefulSet]');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^reachlog: --explain ip:10\.0\.0\/8: expected an address/m);
    const unknown = runCli('analyze', DIR, '--explain', 'db/mysql', '8.8.8.8');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('--explain db/mysql: no such workload');
    expect(unknown.stdout).toBe('');
  });
});
