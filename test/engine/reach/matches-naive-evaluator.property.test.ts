import fc from 'fast-check';
import { describe, test } from 'vitest';
import { analyze } from '../../../engine/index.js';
import { cluster, toBodies } from '../../support/arbitrary-cluster.js';
import { disagreements } from '../../support/naive-comparison.js';

/**
 * The engine groups pods into classes and the outside world into address ranges; the naive
 * evaluator looks at one pod and one port at a time. On random small clusters they must agree
 * on every ordered pair and every sampled port.
 */

function agreesWithNaive(options: { ipBlockMatchesPods: boolean }) {
  return fc.property(cluster, (c) => {
    const wrong = disagreements(toBodies(c), options);
    if (wrong.length > 0) throw new Error(`engine and naive evaluator disagree:\n${wrong.join('\n')}`);
  });
}

describe('reachability', () => {
  test('class-based engine agrees with the naive per-pod evaluator on every pair and port', () => {
    fc.assert(agreesWithNaive({ ipBlockMatchesPods: false }), { numRuns: 1000 });
  }, 120_000);

  test('with ipBlockMatchesPods, the engine still agrees with the naive evaluator counting pod IPs', () => {
    fc.assert(agreesWithNaive({ ipBlockMatchesPods: true }), { numRuns: 300 });
  }, 120_000);

  test('connections() lists exactly the non-empty allowed pairs, a workload with itself included', () => {
    fc.assert(
      fc.property(cluster, (c) => {
        const reach = analyze(toBodies(c), {});
        const ids = reach.peerIds();
        const listed = new Map([...reach.connections()].map((conn) => [`${conn.src} -> ${conn.dst}`, conn.allowed]));
        const expected = new Map<string, string>();
        for (const src of ids) {
          for (const dst of ids) {
            if (src.startsWith('ip:') && dst.startsWith('ip:')) continue;
            const allowed = reach.allowed(src, dst);
            if (!allowed.isEmpty()) expected.set(`${src} -> ${dst}`, allowed.key());
          }
        }
        const got = new Map([...listed].map(([k, v]) => [k, v.key()]));
        if (JSON.stringify([...got].sort()) !== JSON.stringify([...expected].sort())) {
          throw new Error(`connections():\n${[...got].join('\n')}\nallowed():\n${[...expected].join('\n')}`);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
