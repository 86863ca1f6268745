import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO } from '../cli/run-cli.js';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean }>;
};

/** The packages of the lockfile whose install scripts npm would run, by name. */
const withInstallScripts = [
  ...new Set(
    Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
  ),
].sort();

describe('dependency install scripts (npm ci stays quiet about them)', () => {
  test('every dependency with an install script is denied by name in allowScripts: reachlog needs none', () => {
    expect(withInstallScripts.length).toBeGreaterThan(0);
    const decided = Object.fromEntries(withInstallScripts.map((name) => [name, pkg.allowScripts?.[name]]));
    expect(decided).toEqual(Object.fromEntries(withInstallScripts.map((name) => [name, false])));
  });

  test('allowScripts names no package that is gone or has no install script', () => {
    expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual(withInstallScripts);
  });
});
