import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ManifestPathError, readManifests } from '../../input/manifest-files.js';

describe('readManifests', () => {
  test('reads a List far longer than the call stack allows to spread (kubectl get -o json of a big cluster)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reachlog-manifests-'));
    const items = Array.from({ length: 200_000 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `c${i}` } }));
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const read = readManifests([dir]);
    expect(read.objects).toHaveLength(200_000);
    expect(read.objects[199_999]!.source).toEqual({ file: join(dir, 'big.json'), doc: 1, item: 200_000 });
  });

  test('walks directories recursively in name order and skips dot-files and other extensions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reachlog-manifests-'));
    mkdirSync(join(dir, 'b'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'b', 'two.yml'), 'kind: Namespace\nmetadata: {name: two}\n');
    writeFileSync(join(dir, 'a.yaml'), 'kind: Namespace\nmetadata: {name: one}\n');
    writeFileSync(join(dir, '.git', 'x.yaml'), 'kind: Namespace\nmetadata: {name: hidden}\n');
    writeFileSync(join(dir, 'notes.txt'), 'not yaml');
    const names = readManifests([dir]).objects.map((o) => (o.body.metadata as { name: string }).name);
    expect(names).toEqual(['one', 'two']);
  });

  test('a missing path or a directory without manifests is a clear error', () => {
    expect(() => readManifests(['/no/such/place'])).toThrow(
      new ManifestPathError('/no/such/place: no such file or directory'),
    );
    const empty = mkdtempSync(join(tmpdir(), 'reachlog-manifests-'));
    expect(() => readManifests([empty])).toThrow(/no \.yaml, \.yml or \.json files under/);
  });
});
