import fc from 'fast-check';
import { describe, test } from 'vitest';
import { analyze, PROTOCOLS } from '../../../engine/index.js';
import { cluster, toBodies, type Body } from '../../support/arbitrary-cluster.js';
import { buildNaiveModel, naiveAllows } from '../../support/naive-evaluator.js';

/**
 * A workload's connection to itself, against the naive per-pod evaluator: with every pod of a
 * namespace made one workload, the workload allows a port to itself exactly when some two of
 * its pods that differ (in labels or named ports: the generator stamps no volatile labels) may
 * connect on it.
 */

const PORTS = [1, 53, 80, 81, 443, 5432, 8080, 8081, 65535];

describe('self pairs', () => {
  test('a workload reaches itself exactly where two of its pods that differ may connect', () => {
    fc.assert(
      fc.property(cluster, (c) => {
        const bodies = toBodies(c);
        // Each namespace's pods (off the host network) become one workload: ReplicaSet `all`.
        for (const b of bodies) {
          if (b.kind !== 'Pod' || (b.spec as Body).hostNetwork === true) continue;
          (b.metadata as Body).ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'all', uid: 'u' }];
        }
        const reach = analyze(bodies, {});
        const naive = buildNaiveModel(bodies, {});
        const byWorkload = new Map<string, { key: string; variant: string }[]>();
        for (const b of bodies) {
          if (b.kind !== 'Pod' || (b.spec as Body).hostNetwork === true) continue;
          const meta = b.metadata as { name: string; namespace: string; labels: Record<string, string> };
          const ports = ((b.spec as { containers: { ports: unknown[] }[] }).containers[0]!.ports ?? []).map((p) =>
            JSON.stringify(p),
          );
          const labels = Object.entries(meta.labels).sort(([a], [b]) => (a < b ? -1 : 1));
          const variant = JSON.stringify([labels, ports.sort()]);
          const id = `${meta.namespace}/all[ReplicaSet]`;
          byWorkload.set(id, [...(byWorkload.get(id) ?? []), { key: `${meta.namespace}/${meta.name}`, variant }]);
        }
        for (const [id, pods] of byWorkload) {
          const engine = reach.allowed(id, id);
          for (const protocol of PROTOCOLS) {
            for (const port of PORTS) {
              const expected = pods.some((p) =>
                pods.some(
                  (q) => p.variant !== q.variant && naiveAllows(naive, { pod: p.key }, { pod: q.key }, protocol, port),
                ),
              );
              if (engine.allows(protocol, port) !== expected) {
                throw new Error(`${id} to itself ${protocol}/${port}: naive says ${expected}, engine ${!expected}`);
              }
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 180_000);
});
