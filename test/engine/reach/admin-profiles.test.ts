import { describe, expect, test } from 'vitest';
import { adminProfiles } from '../../../engine/reach/admin-profiles.js';
import type { MatrixNode, NodeTiers, TierEntry } from '../../../engine/reach/node-rules.js';
import { PeerSet } from '../../../engine/reach/peer-set.js';
import { CompiledPorts } from '../../../engine/reach/ports.js';

const NODES = 6;
const peer = (id: number, members: number[]) => PeerSet.of(id, `p${id}`, Int32Array.from(members), NODES);
const entry = (p: PeerSet, action: TierEntry['action']): TierEntry => ({ peer: p, ports: CompiledPorts.all, action });
const node = (index: number, tiers?: NodeTiers): MatrixNode => ({
  index,
  outside: false,
  namedPorts: [],
  ingress: null,
  egress: null,
  ...(tiers ? { tiers } : {}),
});
const noLists: NodeTiers = { adminIngress: null, adminEgress: null, baselineIngress: null, baselineEgress: null };

describe('admin profiles: nodes no admin-tier peer tells apart', () => {
  test('share a profile exactly when they are in the same tier peers', () => {
    const a = peer(0, [0, 1, 2]);
    const b = peer(1, [2, 3]);
    const baseline = peer(2, [4]);
    const tiers: NodeTiers = {
      ...noLists,
      adminIngress: [entry(a, 'Allow')],
      adminEgress: [entry(b, 'Deny')],
      baselineEgress: [entry(baseline, 'Deny')],
    };
    const profiles = adminProfiles([node(0, tiers), node(1), node(2), node(3), node(4), node(5)])!;
    const of = (n: number) => profiles.ofNode[n];
    // 0 and 1: in a only; 2: a and b; 3: b only; 4: the baseline peer; 5: none.
    expect(of(0)).toBe(of(1));
    expect(new Set([of(0), of(2), of(3), of(4), of(5)]).size).toBe(5);
    expect(profiles.count).toBe(5);
  });

  test('no node with tiers: none; tiers without lists: every node alike', () => {
    expect(adminProfiles([node(0), node(1)])).toBeUndefined();
    const profiles = adminProfiles([node(0, noLists), node(1)])!;
    expect(profiles.count).toBe(1);
    expect([...profiles.ofNode]).toEqual([0, 0]);
  });
});
