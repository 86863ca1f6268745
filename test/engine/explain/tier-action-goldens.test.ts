import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { buildCluster, computeReachability, explain, parseManifestText } from '../../../engine/index.js';

/**
 * The explain golden files of the admin-tier fixtures (test/engine/format/golden.test.ts checks
 * their text) must between them show every action of every tier deciding a pair, ingress and
 * egress: issue 11's "explain golden files per tier and action". Read from the explanations
 * themselves, so a pair edited away from its action fails here.
 */
const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const CASES = ['admin-tiers', 'admin-tier-actions'];

/** `kind[/tier] direction action` in the policies' own words (ClusterNetworkPolicy accepts). */
function decidedInGoldens(): Set<string> {
  const seen = new Set<string>();
  for (const name of CASES) {
    const dir = join(FIXTURES, name, 'input');
    const objects = readdirSync(dir)
      .sort()
      .flatMap((f) => parseManifestText(readFileSync(join(dir, f), 'utf8'), `input/${f}`).objects);
    const reach = computeReachability(buildCluster(objects));
    const pairs = readFileSync(join(FIXTURES, name, 'explain.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.trim().split(/\s+/) as [string, string]);
    for (const [src, dst] of pairs) {
      for (const pair of explain(reach, src, dst).pairs) {
        for (const side of [pair.egress, pair.ingress]) {
          for (const d of [...side.admin, ...side.baseline]) {
            const cnp = d.policy.kind === 'ClusterNetworkPolicy';
            const kind = cnp ? `ClusterNetworkPolicy/${d.tier}` : d.policy.kind;
            seen.add(`${kind} ${side.direction} ${cnp && d.action === 'Allow' ? 'Accept' : d.action}`);
          }
        }
      }
    }
  }
  return seen;
}

const EVERY_ACTION = Object.entries({
  AdminNetworkPolicy: ['Allow', 'Deny', 'Pass'],
  BaselineAdminNetworkPolicy: ['Allow', 'Deny'],
  'ClusterNetworkPolicy/Admin': ['Accept', 'Deny', 'Pass'],
  'ClusterNetworkPolicy/Baseline': ['Accept', 'Deny', 'Pass'],
}).flatMap(([kind, actions]) =>
  ['ingress', 'egress'].flatMap((direction) => actions.map((action) => `${kind} ${direction} ${action}`)),
);

test('every action of every admin tier decides some explained pair, ingress and egress', () => {
  const seen = decidedInGoldens();
  expect(EVERY_ACTION).toHaveLength(22);
  expect(EVERY_ACTION.filter((a) => !seen.has(a))).toEqual([]);
});
