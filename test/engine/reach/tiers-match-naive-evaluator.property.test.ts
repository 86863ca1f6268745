import fc from 'fast-check';
import { describe, test } from 'vitest';
import { tieredBodies, tieredCluster } from '../../support/arbitrary-admin-policies.js';
import { disagreements } from '../../support/naive-comparison.js';

/**
 * With AdminNetworkPolicies, ClusterNetworkPolicies (both tiers) and the
 * BaselineAdminNetworkPolicy on top of the NetworkPolicies — Pass-heavy, equal priorities,
 * overlapping subjects — the class-based engine's connection sets must still agree with the
 * naive evaluator walking the tiers for one pod pair and one port at a time.
 */
describe('reachability with admin tiers', () => {
  test('tier order (Admin by priority, NetworkPolicy, Baseline, default) agrees with the naive evaluator on every pair and port', () => {
    fc.assert(
      fc.property(tieredCluster, (c) => {
        const wrong = disagreements(tieredBodies(c), { ipBlockMatchesPods: false });
        if (wrong.length > 0) throw new Error(`engine and naive evaluator disagree:\n${wrong.join('\n')}`);
      }),
      { numRuns: 300 },
    );
  }, 300_000);
});
