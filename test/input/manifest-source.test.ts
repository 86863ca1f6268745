import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readManifests } from '../../input/manifest-files.js';
import { confineManifestSource, ManifestSourceError, sourceBoundary } from '../../input/manifest-source.js';

const POD = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: app}\nspec: {containers: [{name: c, image: x}]}\n`;

/** A root with a source `team/` holding one pod, and a secret file outside the root. */
function layout() {
  const base = mkdtempSync(join(tmpdir(), 'reachlog-confine-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'team'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'team', 'pod.yaml'), POD('ok'));
  writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: SECRET_hunter2\n');
  return { root, outside };
}

/** Where the worker reads a source its operator registered. */
const readBoundary = (dir: string, root: string | undefined) =>
  sourceBoundary({ name: 'test', dir, registeredFrom: 'operator' }, root);

const refusal = (call: () => unknown): string => {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestSourceError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('confineManifestSource: registering a manifests source', () => {
  test('through the API with no root configured, nothing is allowed', () => {
    for (const dir of ['/etc/shadow', '/proc/self/environ', 'manifests']) {
      expect(refusal(() => confineManifestSource(dir, { from: 'api', root: undefined }))).toMatch(
        /cannot be registered through the API unless REACHLOG_MANIFESTS_ROOT is set/,
      );
    }
  });

  test('through the API, only under the root; relative paths resolved against it now', () => {
    const { root, outside } = layout();
    const api = { from: 'api', root } as const;
    expect(confineManifestSource('team', api)).toBe(join(root, 'team'));
    expect(confineManifestSource(join(root, 'team'), api)).toBe(join(root, 'team'));
    // Not yet there: accepted alike, so registering cannot probe for existence.
    expect(confineManifestSource('later', api)).toBe(join(root, 'later'));
    for (const dir of ['/etc/shadow', '/proc/self/environ', '../outside', 'team/../../outside', outside]) {
      expect(refusal(() => confineManifestSource(dir, api))).toMatch(/must lie under REACHLOG_MANIFESTS_ROOT/);
    }
    symlinkSync(outside, join(root, 'escape'));
    expect(refusal(() => confineManifestSource('escape', api))).toMatch(/leads out of .* through a symlink/);
  });

  test('from the CLI on the worker host, any local directory, made absolute against its working directory', () => {
    expect(confineManifestSource('k8s', { from: 'operator', cwd: '/home/ops/repo' })).toBe('/home/ops/repo/k8s');
    expect(confineManifestSource('/srv/other', { from: 'operator', cwd: '/home/ops' })).toBe('/srv/other');
  });
});

describe('sourceBoundary: whether the worker reads a registered source, and within what', () => {
  test('under the root, within the root, whoever registered it', () => {
    const { root } = layout();
    for (const registeredFrom of ['api', 'operator', null] as const) {
      expect(sourceBoundary({ name: 'team', dir: join(root, 'team'), registeredFrom }, root)).toBe(root);
    }
  });

  test('outside the root (or with none), only what its operator registered on the worker host, within itself', () => {
    const { root, outside } = layout();
    expect(sourceBoundary({ name: 'ops', dir: outside, registeredFrom: 'operator' }, root)).toBe(outside);
    expect(sourceBoundary({ name: 'ops', dir: outside, registeredFrom: 'operator' }, undefined)).toBe(outside);
  });

  test('outside the root, a source registered through the API or before the registrant was kept is refused, naming the cluster and the variable', () => {
    const { root, outside } = layout();
    const legacy = refusal(() => sourceBoundary({ name: 'old', dir: '/etc/shadow', registeredFrom: null }, root));
    expect(legacy).toBe(
      `cluster old: manifests source /etc/shadow lies outside REACHLOG_MANIFESTS_ROOT (${root}) and was registered ` +
        'before reachlog recorded who registered sources (through the API, perhaps): not read. Move it under the ' +
        "root, or confirm it on the worker's host with `reachlog cluster confirm-source old`",
    );
    expect(refusal(() => sourceBoundary({ name: 'old', dir: outside, registeredFrom: null }, undefined))).toMatch(
      /^cluster old: manifests source .* lies outside REACHLOG_MANIFESTS_ROOT \(not set\)/,
    );
    // A root since moved: what the API registered under the old one is outside the new one.
    expect(refusal(() => sourceBoundary({ name: 'moved', dir: outside, registeredFrom: 'api' }, root))).toMatch(
      /^cluster moved: .* was registered through the API: not read/,
    );
  });
});

describe('reading a confined source', () => {
  test('symlinks out of the root are named, not followed, and nothing of their target is echoed', () => {
    const { root, outside } = layout();
    symlinkSync(outside, join(root, 'team', 'linked-dir'));
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'team', 'linked.yaml'));
    const dir = join(root, 'team');
    const read = readManifests([dir], { confineTo: readBoundary(dir, root) });
    expect(read.fileNames).toEqual([join(dir, 'pod.yaml')]);
    expect(read.notFollowed).toEqual([
      `${join(dir, 'linked-dir')}: a symlink leading outside ${root}; not followed`,
      `${join(dir, 'linked.yaml')}: a symlink leading outside ${root}; not followed`,
    ]);
    expect(JSON.stringify(read)).not.toContain('hunter2');
    expect(JSON.stringify(read)).not.toContain(outside);
  });

  test('a symlink between directories of the root is followed', () => {
    const { root } = layout();
    mkdirSync(join(root, 'shared'));
    writeFileSync(join(root, 'shared', 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n');
    symlinkSync(join(root, 'shared'), join(root, 'team', 'shared'));
    const dir = join(root, 'team');
    const read = readManifests([dir], { confineTo: readBoundary(dir, root) });
    expect(read.fileNames).toEqual([join(dir, 'pod.yaml'), join(dir, 'shared', 'ns.yaml')]);
    expect(read.notFollowed).toEqual([]);
  });

  test('a symlink loop is detected at once, not followed 40 levels deep', () => {
    const { root } = layout();
    const dir = join(root, 'team');
    symlinkSync('.', join(dir, 'loop'));
    symlinkSync(dir, join(dir, 'again'));
    for (const confineTo of [readBoundary(dir, root), undefined]) {
      const read = readManifests([dir], confineTo === undefined ? {} : { confineTo });
      expect(read.fileNames).toEqual([join(dir, 'pod.yaml')]);
      expect(read.notFollowed).toEqual([
        `${join(dir, 'again')}: a directory already read (a symlink loop?); not followed`,
        `${join(dir, 'loop')}: a directory already read (a symlink loop?); not followed`,
      ]);
    }
  });

  test('a FIFO named like a manifest is not read (it would block the worker), and a dangling link is one line', () => {
    const { root } = layout();
    const dir = join(root, 'team');
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling.yaml'));
    const read = readManifests([dir], { confineTo: readBoundary(dir, root) });
    expect(read.fileNames).toEqual([join(dir, 'pod.yaml')]);
    expect(read.notFollowed).toEqual([
      `${join(dir, 'dangling.yaml')}: cannot be read (a dangling symlink?); not followed`,
      `${join(dir, 'pipe.yaml')}: not a regular file; not read`,
    ]);
  });

  test('a source that is itself a symlink out of the root fails naming the path, not the target', () => {
    const { root, outside } = layout();
    symlinkSync(outside, join(root, 'escape'));
    const dir = join(root, 'escape');
    expect(() => readManifests([dir], { confineTo: readBoundary(dir, root) })).toThrow(
      `${dir}: leads outside ${root} through a symlink`,
    );
  });

  test('the CLI (no bound) still follows a symlink out of the directory it was given', () => {
    const { root, outside } = layout();
    symlinkSync(outside, join(root, 'team', 'linked-dir'));
    const read = readManifests([join(root, 'team')]);
    expect(read.fileNames).toEqual([join(root, 'team', 'linked-dir', 'secret.yaml'), join(root, 'team', 'pod.yaml')]);
  });
});
