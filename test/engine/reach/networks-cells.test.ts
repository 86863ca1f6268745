import { describe, expect, test } from 'vitest';
import { buildCluster, parseManifestText } from '../../../engine/index.js';
import { addressCells, networksPeers, standInAddress } from '../../../engine/reach/networks-cells.js';

const POLICIES = `
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: legacy }
spec:
  priority: 1
  subject: { namespaces: {} }
  egress:
    - action: Deny
      to: [{ networks: [10.8.0.0/16, fd00:8::/32] }]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: wide }
spec:
  tier: Admin
  priority: 2
  subject: { namespaces: {} }
  egress:
    - action: Pass
      to: [{ networks: [10.0.0.0/8] }]
`;
const peers = networksPeers(buildCluster(parseManifestText(POLICIES, 'policies.yaml').objects));

describe('address cells: which networks peers hold a pod address', () => {
  test('peers are keyed by their CIDRs, whichever policy names them', () => {
    expect([...peers.keys()].sort()).toEqual(['10.0.0.0/8', '10.8.0.0/16,fd00:8::/32']);
  });

  test('each address gets its family and the peers holding it; duplicates and unparseable ones drop out', () => {
    expect(addressCells(peers, ['10.8.1.2', 'fd00:8::5', '10.8.9.9', 'not-an-ip', '192.0.2.1'])).toEqual([
      { family: 4, networks: ['10.0.0.0/8', '10.8.0.0/16,fd00:8::/32'] },
      { family: 4, networks: [] },
      { family: 6, networks: ['10.8.0.0/16,fd00:8::/32'] },
    ]);
    expect(addressCells(peers, [])).toEqual([]);
  });

  test('a stand-in address lies in exactly the same peers as the address it stands for', () => {
    for (const ip of ['10.8.1.2', '10.9.0.1', '192.0.2.1', 'fd00:8::5', '2001:db8::1']) {
      const [cell] = addressCells(peers, [ip]);
      const standIn = standInAddress(peers, cell!);
      expect(standIn, ip).toBeDefined();
      expect(addressCells(peers, [standIn!]), ip).toEqual([cell]);
    }
  });

  test('a cell no address can hold has no stand-in', () => {
    // 10.0.0.0/8 holds every IPv4 address of the legacy peer; IPv6 addresses are in no IPv4 network.
    expect(standInAddress(peers, { family: 4, networks: ['10.8.0.0/16,fd00:8::/32'] })).toBeUndefined();
    expect(standInAddress(peers, { family: 6, networks: ['10.0.0.0/8'] })).toBeUndefined();
  });
});
