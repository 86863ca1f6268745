import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { REPO } from './run-cli.js';

// A package of its own in a temporary folder: the real bin, a stand-in build, one source.
let root: string;

function packageWith(files: Record<string, string>): void {
  root = mkdtempSync(join(tmpdir(), 'reachlog-bin-'));
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(REPO, 'bin/reachlog.js'), join(root, 'bin/reachlog.js'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const BUILD = {
  'dist/main.js': "process.stdout.write('built code ran\\n');",
  'dist/inputs.json': '["cli/main.ts", "node_modules/yaml/dist/index.js"]',
};

const run = () => spawnSync(process.execPath, [join(root, 'bin/reachlog.js')], { encoding: 'utf8' });
const secondsAgo = (path: string, s: number) => utimesSync(join(root, path), new Date(), Date.now() / 1000 - s);

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('bin/reachlog.js', () => {
  test('without a build, says in one line to run npm run build', () => {
    packageWith({ 'cli/main.ts': '' });
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('reachlog: no build in dist/: run `npm run build` (npm ci runs it too)\n');
  });

  test('in a checkout, refuses a build older than one of its sources, naming it', () => {
    packageWith({ 'cli/main.ts': '', ...BUILD });
    secondsAgo('dist/inputs.json', 60);
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('reachlog: dist/ is older than cli/main.ts: run `npm run build`\n');
  });

  test('runs a build newer than its sources, and one without sources beside it (the image)', () => {
    packageWith({ 'cli/main.ts': '', ...BUILD });
    secondsAgo('cli/main.ts', 60);
    expect(run().stdout).toBe('built code ran\n');
    rmSync(root, { recursive: true });
    packageWith(BUILD);
    expect(run().stdout).toBe('built code ran\n');
  });
});
