import { describe, expect, test } from 'vitest';
import { analyze, explainParts, resolveExplainPeer, type ExplainPeer } from '../../../engine/index.js';

// One ipBlock cuts the outside world into 10.0.0.0/8 and the rest.
const reach = analyze([
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'app', labels: { app: 'db' } }, spec: {} },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'internal', namespace: 'app' },
    spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] },
  },
]);

function peers(text: string): ExplainPeer[] {
  const r = resolveExplainPeer(reach, text);
  if (!r.ok) throw new Error(r.message);
  return r.peers;
}

describe('resolveExplainPeer', () => {
  test('an address, with or without ip:, is one end inside the group holding it', () => {
    for (const text of ['8.8.8.8', 'ip:8.8.8.8']) {
      const [end, ...rest] = peers(text);
      expect(rest).toEqual([]);
      expect(end!.label).toBe('8.8.8.8');
      expect(end!.id).toMatch(/^ip:0\.0\.0\.0\/5,/);
    }
    expect(peers('2001:db8::1')[0]!.label).toBe('2001:db8::1');
  });

  test('a CIDR across the cut is one end per group, each labelled with its own part', () => {
    expect(peers('10.0.0.0/7').map((p) => p.label)).toEqual(['11.0.0.0/8', '10.0.0.0/8']);
  });

  test('what is neither a workload nor addresses is unknown; a bad ip: is a bad address', () => {
    expect(resolveExplainPeer(reach, 'app/web[Deployment]')).toMatchObject({ ok: false, problem: 'unknown' });
    // Go's parser, as the API server's, takes only four decimal octets: `10` is no address.
    expect(resolveExplainPeer(reach, '10')).toMatchObject({ ok: false, problem: 'unknown' });
    expect(resolveExplainPeer(reach, 'ip:10.0.0/8')).toMatchObject({ ok: false, problem: 'badAddress' });
  });
});

describe('explainParts', () => {
  const db = peers('app/db[Pod]');

  test('parts treated differently stay apart, in address order, each naming why it does or does not match', () => {
    const parts = explainParts(reach, peers('10.0.0.0/7'), db);
    expect(parts.map((p) => [p.srcLabel, p.allowed.isEmpty()])).toEqual([
      ['10.0.0.0/8', false],
      ['11.0.0.0/8', true],
    ]);
    expect(parts[1]!.pairs[0]!.ingress.misses).toEqual([
      expect.objectContaining({ rule: 0, why: 'ipBlock 10.0.0.0/8 does not contain 11.0.0.0/8' }),
    ]);
  });

  test('parts treated alike are one, whose id holds every address explained alike', () => {
    const parts = explainParts(reach, db, peers('10.0.0.0/7'));
    // Egress from the pod is not isolated: every outside address is allowed, for the same reason.
    expect(parts).toHaveLength(1);
    expect(parts[0]!.dstLabel).toBe('10.0.0.0/7');
    expect(parts[0]!.dst).toBe('ip:0.0.0.0/0,::/0');
  });
});
