import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildCluster, computeReachability, parseManifestText, type Reachability } from '../../../engine/index.js';
import { REPO } from '../../cli/run-cli.js';

const SHOP = join(REPO, 'examples/shop');
const read = (edit: (t: string) => string = (t) => t) =>
  buildCluster(
    readdirSync(SHOP)
      .sort()
      .flatMap((f) => parseManifestText(edit(readFileSync(join(SHOP, f), 'utf8')), f).objects),
  );

const lines = (r: Reachability) => [...r.connections()].map((c) => `${c.src} => ${c.dst} : ${c.allowed}`);

describe('recomputing after a policy edit on the same workloads', () => {
  test.each([false, true])(
    'reuses the pod classes and answers as a fresh computation (ipBlocks match pods: %s)',
    (ipBlockMatchesPods) => {
      const cluster = read();
      const before = computeReachability(cluster, { ipBlockMatchesPods });
      // Only the policies change; the workloads array is the very same (as an incremental watcher would pass it).
      const edited = read((t) =>
        t.replace('except: [10.0.0.0/8]', 'except: [10.0.0.0/9]').replace('port: 443 }', 'port: 444 }'),
      );
      const patched = { ...cluster, policies: edited.policies };
      const after = computeReachability(patched, { ipBlockMatchesPods }, before);
      expect(lines(after)).toEqual(lines(computeReachability(patched, { ipBlockMatchesPods })));
      expect(lines(after)).not.toEqual(lines(before));
    },
  );
});
