import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO } from './run-cli.js';

/** The files a CLI run loads (ES modules: the bundle's chunks and the packages it imports). */
function loadedBy(...args: string[]): { status: number | null; files: string[] } {
  const r = spawnSync(process.execPath, ['--import', './test/cli/record-loads.mjs', 'bin/reachlog.js', ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  const files = [...r.stderr.matchAll(/^loaded file:\/\/(.*)$/gm)].map((m) => m[1]!.slice(REPO.length));
  return { status: r.status, files: [...new Set(files)] };
}

const packagesIn = (files: string[]) => files.filter((f) => f.includes('node_modules/'));

/** The source files bundled into the loaded chunks (esbuild heads each one with a `// path` line). */
function sourcesIn(files: string[]): string[] {
  const chunks = files.filter((f) => f.startsWith('dist/'));
  return chunks.flatMap((f) =>
    [...readFileSync(join(REPO, f), 'utf8').matchAll(/^\/\/ ((?:cli|engine|worker|api|store)\/\S+\.ts)$/gm)].map(
      (m) => m[1]!,
    ),
  );
}

describe('each command loads only what it needs', () => {
  test('--help loads no command and no package: the list comes from the command table', () => {
    const { status, files } = loadedBy('--help');
    expect(status).toBe(0);
    expect(packagesIn(files)).toEqual([]);
    expect(sourcesIn(files).sort()).toEqual(['cli/cli-error.ts', 'cli/command-table.ts', 'cli/main.ts']);
  });

  test('analyze loads neither Prisma, BullMQ, Apollo, Express nor the Kubernetes client', () => {
    const { status, files } = loadedBy('analyze', 'examples/shop', '--output', 'json');
    expect(status).toBe(0);
    expect(packagesIn(files)).toEqual([]);
    // Reading manifests needs no database, queue or API code.
    expect(sourcesIn(files).filter((f) => /^(api|store)\/|^worker\/(queue|store|snapshot)\//.test(f))).toEqual([]);
  });

  test('an admin command still loads what it needs (the recorder sees packages)', () => {
    const { files } = loadedBy('cluster', '--help');
    expect(packagesIn(files).some((f) => f.includes('node_modules/bullmq/'))).toBe(true);
  });
});
