import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildCluster, computeReachability, parseManifestText, type Cluster } from '../../../engine/index.js';
import { diffConnections, diffReachability } from '../../../engine/diff/diff.js';
import { REPO } from '../../cli/run-cli.js';

const SHOP = join(REPO, 'examples/shop');

function shop(edit: (text: string) => string = (t) => t): Cluster {
  const objects = readdirSync(SHOP)
    .sort()
    .flatMap((f) => parseManifestText(edit(readFileSync(join(SHOP, f), 'utf8')), f).objects);
  return buildCluster(objects);
}

/** [what, edit, whether the edit keeps the outside-address partition (and so the shared classes)] */
const EDITS: [string, (t: string) => string, boolean][] = [
  [
    'add a port to an egress rule',
    (t) => t.replace('port: 443 }', 'port: 443 }\n    - { protocol: TCP, port: 80 }'),
    true,
  ],
  ['let postgres egress out', (t) => t.replace('policyTypes: [Ingress, Egress]\n', 'policyTypes: [Ingress]\n'), true],
  [
    'widen a namespace selector',
    (t) => t.replace('matchLabels: { kubernetes.io/metadata.name: storefront }', 'matchLabels: {}'),
    true,
  ],
  ['narrow the ipBlock except', (t) => t.replace('except: [10.0.0.0/8]', 'except: [10.0.0.0/9]'), false],
  [
    'select another pod',
    (t) => t.replace('matchLabels: { app: payments }\n  policyTypes', 'matchLabels: { app: orders }\n  policyTypes'),
    true,
  ],
];

describe('diff of a policy edit', () => {
  test.each(EDITS.filter(([, , shared]) => shared))(
    'visiting only changed classes gives the full diff: %s',
    (_, edit, shared) => {
      const before = computeReachability(shop());
      const after = computeReachability(shop(edit), {}, before);
      const full = [...diffConnections(before.connections(), after.connections())];
      const incremental = [...diffReachability(before, after)];
      expect(after.sharesClassesWith(before)).toBe(shared);
      expect(incremental.map((c) => [c.src, c.dst, c.change, c.after.toString()])).toEqual(
        full.map((c) => [c.src, c.dst, c.change, c.after.toString()]),
      );
      expect(full.length).toBeGreaterThan(0);
    },
  );

  test('an ipBlock edit that re-cuts the outside world reports only the addresses whose treatment changed', () => {
    const before = computeReachability(shop());
    const after = computeReachability(shop(EDITS[3]![1]), {}, before);
    // By id, every outside group of every workload would look removed and added again.
    expect([...diffReachability(before, after)].map((c) => `${c.change} ${c.src} => ${c.dst} : ${c.after}`)).toEqual([
      'added api/payments[Deployment] => ip:10.128.0.0/9 : TCP 443',
    ]);
  });

  test('an edit that keeps the pods reuses the pod classes', () => {
    const before = computeReachability(shop());
    const after = computeReachability(shop(EDITS[0]![1]), {}, before);
    expect(after.sharesClassesWith(before)).toBe(true);
  });

  test('an edit to the pods recomputes classes, and still diffs right', () => {
    const before = computeReachability(shop());
    // postgres's named port `pg` moves: the policy allowing `pg` now opens 6432.
    const edit = (t: string) => t.replace('{ name: pg, containerPort: 5432 }', '{ name: pg, containerPort: 6432 }');
    const after = computeReachability(shop(edit), {}, before);
    expect(after.sharesClassesWith(before)).toBe(false);
    const changes = [...diffReachability(before, after)];
    expect(changes.map((c) => `${c.change} ${c.src} => ${c.dst} : ${c.after}`)).toEqual([
      'changed api/orders[Deployment] => db/postgres[StatefulSet] : TCP 6432',
      'removed api/payments[Deployment] => db/postgres[StatefulSet] : No Connections',
    ]);
  });
});
