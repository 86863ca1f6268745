import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  buildCluster,
  computeReachability,
  fromMatrixDoc,
  parseManifestText,
  toMatrixDoc,
  type Cluster,
} from '../../../engine/index.js';
import { diffConnections, diffReachability } from '../../../engine/diff/diff.js';
import { diffKeyed } from '../../../engine/diff/keyed-diff.js';
import { REPO } from '../../cli/run-cli.js';

/**
 * An admin policy added over unchanged pod classes (the demo's last step: an AdminNetworkPolicy
 * Deny selecting pods by a label NetworkPolicies already select on) changes no NetworkPolicy
 * rule list; the diffs that visit only changed classes must still see it.
 */
const DEMO = join(REPO, 'examples/demo');

function point(dir: string): Cluster {
  const path = join(DEMO, dir);
  const objects = readdirSync(path)
    .sort()
    .flatMap((f) => parseManifestText(readFileSync(join(path, f), 'utf8'), f).objects);
  return buildCluster(objects);
}

const CLOSED = ['removed storefront/web[Deployment] => api/payments[Deployment] : TCP 8443 -> No Connections'];
const show = (changes: Iterable<{ change: string; src: string; dst: string; before: unknown; after: unknown }>) =>
  [...changes].map((c) => `${c.change} ${c.src} => ${c.dst} : ${String(c.before)} -> ${String(c.after)}`);

describe('an AdminNetworkPolicy Deny added over the same pod classes', () => {
  const before = computeReachability(point('4-orders-egress'));

  test('the full diff finds the connection it closes', () => {
    const after = computeReachability(point('5-payments-guard'));
    expect(show(diffConnections(before.connections(), after.connections()))).toEqual(CLOSED);
  });

  test('the diff over shared classes (a policy edit) finds it too', () => {
    const after = computeReachability(point('5-payments-guard'), {}, before);
    expect(after.sharesClassesWith(before)).toBe(true);
    expect(show(diffReachability(before, after))).toEqual(CLOSED);
  });

  test('the keyed diff of stored documents (what history stores) finds it too', () => {
    const after = computeReachability(point('5-payments-guard'));
    const stored = fromMatrixDoc(toMatrixDoc(before));
    expect(show(diffKeyed(stored, { doc: toMatrixDoc(after), view: after.view }))).toEqual(CLOSED);
  });

  test('and removing the admin policy again opens it, on both paths', () => {
    const guarded = computeReachability(point('5-payments-guard'));
    const open = computeReachability(point('4-orders-egress'), {}, guarded);
    const reopened = show(diffReachability(guarded, open));
    expect(reopened).toEqual([
      'added storefront/web[Deployment] => api/payments[Deployment] : No Connections -> TCP 8443',
    ]);
    const stored = fromMatrixDoc(toMatrixDoc(guarded));
    expect(show(diffKeyed(stored, { doc: toMatrixDoc(open), view: open.view }))).toEqual(reopened);
  });
});
