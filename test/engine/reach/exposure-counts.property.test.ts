import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { analyze, exposureCounts } from '../../../engine/index.js';
import { tieredBodies, tieredCluster } from '../../support/arbitrary-admin-policies.js';
import { cluster, toBodies } from '../../support/arbitrary-cluster.js';

/**
 * The counts metrics report are read from the compressed matrix without listing pairs; on random
 * small clusters they must equal what the listings (connections(), summary()) count one by one.
 */
describe('exposureCounts', () => {
  test('connections equals the workload-to-workload pairs connections() lists; the rest equal summary() list lengths', () => {
    fc.assert(
      fc.property(cluster, (c) => {
        const reach = analyze(toBodies(c), {});
        const workloads = new Set(reach.cluster.workloads.map((w) => w.id));
        const listed = [...reach.connections()].filter((x) => workloads.has(x.src) && workloads.has(x.dst)).length;
        const summary = reach.summary();
        const counts = exposureCounts(reach);
        expect(counts.connections).toBe(listed);
        expect(counts.exposedToOutside).toBe(summary.exposedToOutside.length);
        expect(counts.openToWorld).toBe(summary.openToWorld.length);
        expect(counts.ingressUnisolated).toBe(summary.unprotected.length);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  test('with admin tiers: connections still equal the listing, and ingress counts exactly what summary() calls unprotected', () => {
    fc.assert(
      fc.property(tieredCluster, (c) => {
        const reach = analyze(tieredBodies(c), {});
        const workloads = new Set(reach.cluster.workloads.map((w) => w.id));
        const listed = [...reach.connections()].filter((x) => workloads.has(x.src) && workloads.has(x.dst)).length;
        const counts = exposureCounts(reach);
        expect(counts.connections).toBe(listed);
        expect(counts.ingressUnisolated).toBe(reach.summary().unprotected.length);
        expect(counts.egressUnisolated).toBeLessThanOrEqual(workloads.size);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  test('egress isolation: a workload counts until a policy with policyTypes Egress selects it', () => {
    const pod = (name: string, app: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop', labels: { app } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
      status: { podIP: name === 'web' ? '10.0.0.1' : '10.0.0.2' },
    });
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    const open = exposureCounts(analyze([namespace, pod('web', 'web'), pod('db', 'db')]));
    expect(open).toEqual({
      exposedToOutside: 2,
      openToWorld: 2,
      ingressUnisolated: 2,
      egressUnisolated: 2,
      connections: 2,
    });
    const dbEgressDenied = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db-no-egress', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'] },
    };
    const counts = exposureCounts(analyze([namespace, pod('web', 'web'), pod('db', 'db'), dbEgressDenied]));
    expect(counts).toEqual({
      exposedToOutside: 2,
      openToWorld: 2,
      ingressUnisolated: 2,
      egressUnisolated: 1,
      // db may no longer open anything: only web -> db is left.
      connections: 1,
    });
  });
});
