import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildCluster, computeReachability, parseManifestText, toMatrixDoc } from '../../../engine/index.js';
import type { MatrixDoc } from '../../../engine/reach/matrix-doc.js';
import { changedPeers } from '../../../engine/diff/keyed-diff.js';
import { REPO } from '../../cli/run-cli.js';

const SHOP = join(REPO, 'examples/shop');

function shopDoc(): MatrixDoc {
  const objects = readdirSync(SHOP)
    .sort()
    .flatMap((f) => parseManifestText(readFileSync(join(SHOP, f), 'utf8'), f).objects);
  return toMatrixDoc(computeReachability(buildCluster(objects)));
}

/** Every object's keys in reverse order, as a document read back from jsonb may have them. */
function keysReordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keysReordered);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, keysReordered(v)]),
    );
  return value;
}

describe('changedPeers', () => {
  test('a document whose objects list their keys in another order has no changed peers', () => {
    const doc = shopDoc();
    const stored = keysReordered(doc) as MatrixDoc;
    expect(JSON.stringify(stored)).not.toBe(JSON.stringify(doc));
    const changed = changedPeers(stored, doc);
    expect([...changed.sources]).toEqual([]);
    expect([...changed.destinations]).toEqual([]);
  });

  test('an admin tier rule added to a class changes the workloads in it', () => {
    const doc = shopDoc();
    const edited = structuredClone(doc);
    const node = edited.nodes.find((n) => !n.outside)!;
    node.tiers = { adminIngress: [['*', 'Deny', { fixed: [{ protocol: 'TCP', ports: [[80, 80]] }], named: [] }]] };
    const inNode = doc.workloads.filter(([, keys]) => keys.includes(node.key)).map(([id]) => id);
    expect(inNode.length).toBeGreaterThan(0);
    const changed = changedPeers(doc, edited);
    expect([...changed.destinations].sort()).toEqual(inNode.sort());
    expect([...changed.sources]).toEqual([]);
  });
});
