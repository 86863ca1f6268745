import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { analyze, type Connection } from '../../../engine/index.js';
import { fromMatrixDoc, toMatrixDoc, type MatrixDoc } from '../../../engine/reach/matrix-doc.js';
import { summarize } from '../../../engine/reach/summary.js';
import { cluster, toBodies } from '../../support/arbitrary-cluster.js';

/**
 * A result is stored as a compressed document and served again from it: once through JSON, the
 * rebuilt view must answer every question the fresh result answers.
 */

function rows(connections: Iterable<Connection>): [string, string, string][] {
  return [...connections].map((c) => [c.src, c.dst, c.allowed.toString()]);
}

describe('stored matrix document', () => {
  test('a result rebuilt from its stored document serves the same connections (every column at once too)', () => {
    fc.assert(
      fc.property(
        cluster,
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 20 }),
        (c, ipBlockMatchesPods, pairs) => {
          const reach = analyze(toBodies(c), { ipBlockMatchesPods });
          const stored = fromMatrixDoc(JSON.parse(JSON.stringify(toMatrixDoc(reach))) as MatrixDoc);

          expect(rows(stored.view.connections())).toEqual(rows(reach.connections()));

          // Sampled pairs, including a peer with itself and two outside groups.
          const ids = reach.peerIds();
          // Every column at once is each column on its own.
          const columns = stored.view.incomingOfMany([...ids, 'no/such[Deployment]']);
          expect([...columns.keys()].sort()).toEqual([...ids].sort());
          for (const id of ids) {
            const one = stored.view.incoming(id).map((c) => [c.src, c.allowed.toString()]);
            expect(columns.get(id)!.map((c) => [c.src, c.allowed.toString()])).toEqual(one);
          }
          for (const [i, j] of pairs) {
            const src = ids[i % ids.length]!;
            const dst = ids[j % ids.length]!;
            expect([src, dst, stored.view.allowed(src, dst).toString()]).toEqual([
              src,
              dst,
              reach.allowed(src, dst).toString(),
            ]);
          }

          const { workloads, policies } = reach.cluster;
          const fresh = reach.summary();
          const served = summarize(stored.view, stored.outside, workloads, policies.length);
          expect({
            unprotected: served.unprotected,
            openToWorld: served.openToWorld,
            exposedToOutside: served.exposedToOutside,
          }).toEqual({
            unprotected: fresh.unprotected,
            openToWorld: fresh.openToWorld,
            exposedToOutside: fresh.exposedToOutside,
          });
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});
