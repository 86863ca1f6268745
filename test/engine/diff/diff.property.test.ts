import { parseCidr, type AddressSet } from '../../../engine/sets/address-set.js';
import { IntervalSet } from '../../../engine/sets/interval-set.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { diffConnections, diffReachability } from '../../../engine/diff/diff.js';
import { netChanges, netChangesWithOutside } from '../../../engine/diff/net-changes.js';
import type { ConnectionChange } from '../../../engine/diff/connection-change.js';
import {
  buildCluster,
  computeReachability,
  type AnalyzeOptions,
  type Cluster,
  type ConnectionSet,
  type Reachability,
} from '../../../engine/index.js';
import { adminTiers, tieredBodies, tieredCluster, type TieredCase } from '../../support/arbitrary-admin-policies.js';
import { cluster, toBodies, type ClusterCase } from '../../support/arbitrary-cluster.js';
import { edited, podEdit, policyEdit, type Edit } from '../../support/arbitrary-edits.js';

/**
 * `diffReachability` visits only the peers whose rules changed; merging the two full connection
 * lists is the slow, obvious answer. On a random cluster and a randomly edited copy they must agree,
 * whether or not the second computation reuses the first one's pod classes.
 */

/** A cluster, an edited copy (policies always, pods sometimes), and the options for both. */
const editedCluster = fc.record({
  before: cluster,
  edits: fc
    .tuple(
      fc.array(policyEdit, { minLength: 1, maxLength: 3 }),
      fc.oneof(
        { weight: 2, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: fc.array(podEdit, { maxLength: 2 }) },
      ),
    )
    .map(([policies, pods]): Edit[] => [...policies, ...pods]),
  ipBlockMatchesPods: fc.boolean(),
});

function build(c: ClusterCase) {
  return buildCluster(toBodies(c).map((body, i) => ({ source: { file: '<input>', doc: i + 1 }, body })));
}

function buildTiered(c: TieredCase) {
  return buildCluster(tieredBodies(c).map((body, i) => ({ source: { file: '<input>', doc: i + 1 }, body })));
}

function rows(changes: Iterable<ConnectionChange>): [string, string, string, string, string][] {
  return [...changes].map((c) => [c.src, c.dst, c.change, c.before.toString(), c.after.toString()]);
}

const outside = (peer: string) => peer.startsWith('ip:');

function addresses(id: string): AddressSet {
  return id
    .slice(3)
    .split(',')
    .reduce((set, cidr) => set.union(parseCidr(cidr).range), IntervalSet.empty<bigint>());
}

/** Addresses worth probing: both ends of every outside group on either side. */
function probes(...reaches: Reachability[]): bigint[] {
  return reaches.flatMap((r) => r.partition.groups.flatMap((g) => g.addresses.ranges.flatMap(([lo, hi]) => [lo, hi])));
}

/** One change, from `a` to `b`, when they differ; none when they are equal. */
function expectReported(reported: ConnectionChange[], a: ConnectionSet, b: ConnectionSet): void {
  if (a.equals(b)) expect(reported).toEqual([]);
  else expect(reported.map((r) => [r.before.toString(), r.after.toString()])).toEqual([[a.toString(), b.toString()]]);
}

function groupHolding(reach: Reachability, address: bigint): string {
  return reach.partition.groups.find((g) => g.addresses.contains(address))!.id;
}

/** diffReachability (sharing the classes or not) against the merge-join, outside addresses address by address. */
function expectDiffIsMergeJoin(beforeCluster: Cluster, afterCluster: Cluster, options: AnalyzeOptions): void {
  const before = computeReachability(beforeCluster, options);
  for (const after of [
    computeReachability(afterCluster, options, before),
    computeReachability(afterCluster, options),
  ]) {
    const diff = [...diffReachability(before, after)];
    const merged = [...diffConnections(before.connections(), after.connections())];
    const sameCut = before.ipBlocks.key === after.ipBlocks.key;
    const inside = (list: ConnectionChange[]) => list.filter((x) => sameCut || (!outside(x.src) && !outside(x.dst)));
    expect(rows(inside(diff))).toEqual(rows(inside(merged)));
    if (sameCut) continue;
    // Each outside address: a change is reported for the piece holding it exactly when its treatment changed.
    const workloads = before.peerIds().filter((p) => !outside(p));
    for (const address of probes(before, after)) {
      const was = groupHolding(before, address);
      const now = groupHolding(after, address);
      for (const w of workloads) {
        const reportedOut = diff.filter((x) => x.src === w && outside(x.dst) && addresses(x.dst).contains(address));
        const reportedIn = diff.filter((x) => x.dst === w && outside(x.src) && addresses(x.src).contains(address));
        expectReported(reportedOut, before.allowed(w, was), after.allowed(w, now));
        expectReported(reportedIn, before.allowed(was, w), after.allowed(now, w));
      }
    }
  }
}

describe('diff of two computations', () => {
  test('diffReachability equals the merge-join of the two connection lists, outside addresses compared address by address', () => {
    fc.assert(
      fc.property(editedCluster, ({ before: c, edits, ipBlockMatchesPods }) => {
        expectDiffIsMergeJoin(build(c), build(edited(c, edits)), { ipBlockMatchesPods });
      }),
      { numRuns: 300 },
    );
  }, 90_000);

  test('with admin tiers, an edit of the tiers alone or of the cluster under them: diffReachability still equals the merge-join', () => {
    const tiered = fc.record({
      before: tieredCluster,
      edits: fc.array(fc.oneof(policyEdit, podEdit), { maxLength: 2 }),
      admin: fc.option(adminTiers, { nil: undefined }),
    });
    fc.assert(
      fc.property(tiered, ({ before: c, edits, admin }) => {
        const after = { cluster: edited(c.cluster, edits), admin: admin ?? c.admin };
        expectDiffIsMergeJoin(buildTiered(c), buildTiered(after), {});
      }),
      { numRuns: 150 },
    );
  }, 90_000);

  test('netChanges of one peer equal the merge-join restricted to it, outside addresses compared address by address, each in at most one change; netChangesWithOutside is their outside part', () => {
    fc.assert(
      fc.property(editedCluster, ({ before: c, edits, ipBlockMatchesPods }) => {
        const options: AnalyzeOptions = { ipBlockMatchesPods };
        const before = computeReachability(build(c), options);
        const after = computeReachability(build(edited(c, edits)), options, before);
        const merged = [...diffConnections(before.connections(), after.connections())];
        const workloads = [...new Set([...before.peerIds(), ...after.peerIds()])].filter((p) => !outside(p));
        for (const w of workloads) {
          const into = netChanges(before.view, after.view, w, 'in');
          const from = netChanges(before.view, after.view, w, 'out');
          const inside = (list: ConnectionChange[]) => list.filter((x) => !outside(x.src) && !outside(x.dst));
          expect(netChangesWithOutside(before.view, after.view, w, 'in')).toEqual(into.filter((x) => outside(x.src)));
          expect(netChangesWithOutside(before.view, after.view, w, 'out')).toEqual(from.filter((x) => outside(x.dst)));
          expect(rows(inside(into))).toEqual(rows(inside(merged).filter((x) => x.dst === w)));
          expect(rows(inside(from))).toEqual(rows(inside(merged).filter((x) => x.src === w)));
          for (const address of probes(before, after)) {
            const was = groupHolding(before, address);
            const now = groupHolding(after, address);
            const reportedIn = into.filter((x) => outside(x.src) && addresses(x.src).contains(address));
            const reportedOut = from.filter((x) => outside(x.dst) && addresses(x.dst).contains(address));
            expectReported(reportedIn, before.allowed(was, w), after.allowed(now, w));
            expectReported(reportedOut, before.allowed(w, was), after.allowed(w, now));
          }
        }
      }),
      { numRuns: 150 },
    );
  }, 90_000);

  test('a diff of a result with itself is empty', () => {
    fc.assert(
      fc.property(cluster, fc.boolean(), (c, ipBlockMatchesPods) => {
        const options: AnalyzeOptions = { ipBlockMatchesPods };
        const reach = computeReachability(build(c), options);
        expect(rows(diffReachability(reach, reach))).toEqual([]);
        // A recomputation of the same cluster is the same result, reusing the classes or not.
        expect(rows(diffReachability(reach, computeReachability(build(c), options, reach)))).toEqual([]);
        expect(rows(diffReachability(reach, computeReachability(build(c), options)))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
