import { describe, expect, test } from 'vitest';
import { analyze } from '../../../engine/index.js';
import { anp, banp, cnp, node, nsSelector } from '../../support/admin-objects.js';

/**
 * The admin tiers' defined answers, one example each, named with the words of the upstream
 * types (kubernetes-sigs/network-policy-api apis/v1alpha1, apis/v1alpha2).
 */

type Body = Record<string, unknown>;

const pod = (ns: string, name: string, labels: Record<string, string> = {}, ip?: string, ports: Body[] = []): Body => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'main', image: 'app', ports }] },
  ...(ip ? { status: { podIP: ip, podIPs: [{ ip }] } } : {}),
});

const netpol = (ns: string, name: string, spec: Body): Body => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});

const DB = 'db/pg[Pod]';
const WEB = 'web/front[Pod]';
const OPS = 'ops/tool[Pod]';
const pods = [
  pod('db', 'pg', { app: 'db' }, '10.1.0.5', [{ name: 'pg', containerPort: 5432 }]),
  pod('web', 'front', { app: 'web' }, '10.2.0.5'),
  pod('ops', 'tool', { app: 'ops' }, '10.3.0.5'),
];
const fromNamespace = (name: string) => [{ namespaces: nsSelector(name) }];
const dbSubject = { namespaces: nsSelector('db') };

function run(bodies: Body[]) {
  const r = analyze([...pods, ...bodies], {});
  expect(r.cluster.errors.map((e) => e.message)).toEqual([]);
  return {
    r,
    tcp: (src: string, dst: string, port = 5432) => r.allowed(src, dst).allows('TCP', port),
  };
}

describe('AdminNetworkPolicy (v1alpha1)', () => {
  test('"Deny: denies the selected traffic (even if it would otherwise have been allowed by NetworkPolicy)"', () => {
    const { tcp } = run([
      netpol('db', 'open', { podSelector: {}, ingress: [{}] }),
      anp('deny-db', 10, { subject: dbSubject, ingress: [{ action: 'Deny', from: fromNamespace('web') }] }),
    ]);
    expect(tcp(WEB, DB)).toBe(false);
    expect(tcp(OPS, DB)).toBe(true);
  });

  test('"Allow: allows the selected traffic (even if it would otherwise have been denied by NetworkPolicy)"', () => {
    const { tcp } = run([
      netpol('db', 'closed', { podSelector: {}, policyTypes: ['Ingress'] }),
      anp('allow-web', 10, { subject: dbSubject, ingress: [{ action: 'Allow', from: fromNamespace('web') }] }),
    ]);
    expect(tcp(WEB, DB)).toBe(true);
    expect(tcp(OPS, DB)).toBe(false);
  });

  test('"Pass: ... pass execution to any NetworkPolicies that select the pod"', () => {
    const { tcp } = run([
      netpol('db', 'closed', { podSelector: {}, policyTypes: ['Ingress'] }),
      anp('pass', 5, { subject: dbSubject, ingress: [{ action: 'Pass', from: fromNamespace('web') }] }),
      anp('allow', 6, { subject: dbSubject, ingress: [{ action: 'Allow', from: fromNamespace('web') }] }),
    ]);
    // Passed: the lower-precedence Allow is skipped and the NetworkPolicy denies.
    expect(tcp(WEB, DB)).toBe(false);
  });

  test('"If the pod is not selected by any NetworkPolicies then execution is passed to any BaselineAdminNetworkPolicies"', () => {
    const { tcp } = run([
      anp('pass', 5, { subject: dbSubject, ingress: [{ action: 'Pass', from: fromNamespace('web') }] }),
      banp({ subject: dbSubject, ingress: [{ action: 'Deny', from: fromNamespace('web') }] }),
    ]);
    expect(tcp(WEB, DB)).toBe(false);
    expect(tcp(OPS, DB)).toBe(true);
  });

  test('"Policies with lower priority values have higher precedence"', () => {
    const { tcp } = run([
      anp('deny-later', 20, { subject: dbSubject, ingress: [{ action: 'Deny', from: fromNamespace('web') }] }),
      anp('allow-first', 10, { subject: dbSubject, ingress: [{ action: 'Allow', from: fromNamespace('web') }] }),
    ]);
    expect(tcp(WEB, DB)).toBe(true);
  });

  test('"a rule that appears at the top of the ingress rules would take the highest precedence"', () => {
    const { tcp } = run([
      anp('ordered', 10, {
        subject: dbSubject,
        ingress: [
          { action: 'Allow', from: fromNamespace('web'), ports: [{ portNumber: { protocol: 'TCP', port: 5432 } }] },
          { action: 'Deny', from: fromNamespace('web') },
        ],
      }),
    ]);
    expect(tcp(WEB, DB, 5432)).toBe(true);
    expect(tcp(WEB, DB, 5433)).toBe(false);
  });

  test('"If two (or more) policies with the same priority could both match a connection, then the implementation can apply any": reachlog applies them by name and warns', () => {
    const { tcp, r } = run([
      anp('b-deny', 10, { subject: dbSubject, ingress: [{ action: 'Deny', from: fromNamespace('web') }] }),
      anp('a-allow', 10, { subject: dbSubject, ingress: [{ action: 'Allow', from: fromNamespace('web') }] }),
    ]);
    expect(tcp(WEB, DB)).toBe(true);
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(
      /AdminNetworkPolicy a-allow, AdminNetworkPolicy b-deny share priority 10/,
    );
  });

  test('"ANPs with no ingress rules do not affect ingress traffic" (an empty rule list)', () => {
    const { tcp, r } = run([
      netpol('db', 'closed', { podSelector: {}, policyTypes: ['Ingress'] }),
      anp('egress-only', 10, {
        subject: dbSubject,
        ingress: [],
        egress: [{ action: 'Deny', to: fromNamespace('ops') }],
      }),
    ]);
    expect(tcp(WEB, DB)).toBe(false); // NetworkPolicy alone decides ingress
    expect(tcp(DB, OPS)).toBe(false);
    expect(tcp(DB, WEB)).toBe(true);
    expect(r.summary().adminDecided).toEqual([DB]);
  });

  test('a subject selecting nothing affects nothing', () => {
    const { tcp, r } = run([
      anp('nobody', 10, {
        subject: { namespaces: nsSelector('missing') },
        ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      }),
    ]);
    expect(tcp(WEB, DB)).toBe(true);
    expect(r.summary().adminDecided).toEqual([]);
  });

  test('"namedPort selects a port on a pod(s) based on name": a destination pod lacking the name is not matched', () => {
    const { r } = run([
      anp('deny-named', 10, {
        subject: { namespaces: {} },
        ingress: [{ action: 'Deny', from: [{ namespaces: {} }], ports: [{ namedPort: 'pg' }] }],
      }),
    ]);
    expect(r.allowed(WEB, DB).allows('TCP', 5432)).toBe(false); // db/pg names 5432 "pg"
    expect(r.allowed(WEB, DB).allows('TCP', 80)).toBe(true);
    expect(r.allowed(DB, WEB).allows('TCP', 5432)).toBe(true); // web/front has no port "pg"
  });

  test('"Networks ... cluster-internal traffic will be checked against the rule as well": networks match pod IPs', () => {
    const { tcp } = run([
      anp('deny-net', 10, {
        subject: { namespaces: nsSelector('web') },
        egress: [{ action: 'Deny', to: [{ networks: ['10.1.0.0/16'] }] }],
      }),
    ]);
    expect(tcp(WEB, DB)).toBe(false);
    expect(tcp(WEB, OPS)).toBe(true);
  });

  test('"Nodes ... selects the nodeIPs ... present in the node.Status.Addresses": matched by address, no Node objects match nothing (warned)', () => {
    const rule = { action: 'Deny', to: [{ nodes: { matchLabels: { role: 'control-plane' } } }] };
    const withNodes = run([
      node('cp-1', { role: 'control-plane' }, '192.168.0.10'),
      anp('deny-cp', 10, { subject: { namespaces: {} }, egress: [rule] }),
    ]);
    const cp = withNodes.r.peerIds().find((p) => p === 'ip:192.168.0.10/32')!;
    expect(cp).toBeDefined();
    expect(withNodes.r.allowed(WEB, cp).isEmpty()).toBe(true);
    const without = run([anp('deny-cp', 10, { subject: { namespaces: {} }, egress: [rule] })]);
    expect(without.r.warnings.map((w) => w.message).join('\n')).toMatch(
      /AdminNetworkPolicy deny-cp spec.egress\[0\].to\[0\].nodes: the input holds no Node objects/,
    );
    expect(without.tcp(WEB, DB)).toBe(true);
  });

  test('"If an implementation sees no fields are set ... fail closed": Deny and Pass become deny-all, Allow matches nothing', () => {
    const unknown = [{ futurePeer: { x: 1 } }];
    const pass = run([anp('future', 10, { subject: dbSubject, ingress: [{ action: 'Pass', from: unknown }] })]);
    expect(pass.tcp(WEB, DB)).toBe(false);
    expect(pass.tcp(OPS, DB)).toBe(false);
    expect(pass.r.warnings.map((w) => w.message).join('\n')).toMatch(/deny all traffic|denying all traffic/);
    const allow = run([
      netpol('db', 'closed', { podSelector: {}, policyTypes: ['Ingress'] }),
      anp('future', 10, { subject: dbSubject, ingress: [{ action: 'Allow', from: unknown }] }),
    ]);
    expect(allow.tcp(WEB, DB)).toBe(false);
  });
});

describe('BaselineAdminNetworkPolicy (v1alpha1)', () => {
  test('applies only where NetworkPolicy leaves the pod unisolated in that direction', () => {
    const { tcp } = run([
      banp({ subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
      netpol('db', 'allow-web', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: nsSelector('web') }] }] }),
    ]);
    expect(tcp(WEB, DB)).toBe(true); // NetworkPolicy isolates db: the baseline does not apply
    expect(tcp(OPS, DB)).toBe(false); // and the NetworkPolicy denies ops
    expect(tcp(DB, WEB)).toBe(false); // web is not isolated: the baseline denies
  });

  test('"Deny" in the baseline is overridden by an ANP Allow before it', () => {
    const { tcp } = run([
      banp({ subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
      anp('allow', 1, { subject: dbSubject, ingress: [{ action: 'Allow', from: fromNamespace('web') }] }),
    ]);
    expect(tcp(WEB, DB)).toBe(true);
    expect(tcp(OPS, DB)).toBe(false);
  });
});

describe('ClusterNetworkPolicy (v1alpha2)', () => {
  test('"Pass: ... passes evaluation to the next tier": a Pass in the Baseline tier reaches the default, allowed', () => {
    const { tcp } = run([
      cnp('base-pass', 'Baseline', 1, {
        subject: dbSubject,
        ingress: [{ action: 'Pass', from: fromNamespace('web') }],
      }),
      cnp('base-deny', 'Baseline', 2, {
        subject: dbSubject,
        ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      }),
    ]);
    expect(tcp(WEB, DB)).toBe(true);
    expect(tcp(OPS, DB)).toBe(false);
  });

  test('"Accept: ... No further ClusterNetworkPolicy or NetworkPolicy rules will be processed"', () => {
    const { tcp } = run([
      netpol('db', 'closed', { podSelector: {}, policyTypes: ['Ingress'] }),
      cnp('accept', 'Admin', 3, {
        subject: dbSubject,
        ingress: [
          { action: 'Accept', from: fromNamespace('web'), protocols: [{ tcp: { destinationPort: { number: 5432 } } }] },
        ],
      }),
    ]);
    expect(tcp(WEB, DB, 5432)).toBe(true);
    expect(tcp(WEB, DB, 5433)).toBe(false);
  });

  test('Admin-tier ClusterNetworkPolicy and AdminNetworkPolicy share one order by priority', () => {
    const { tcp } = run([
      anp('deny', 20, { subject: dbSubject, ingress: [{ action: 'Deny', from: fromNamespace('web') }] }),
      cnp('accept', 'Admin', 10, { subject: dbSubject, ingress: [{ action: 'Accept', from: fromNamespace('web') }] }),
    ]);
    expect(tcp(WEB, DB)).toBe(true);
  });

  test('"DomainNames is only supported for Accept rules": undecidable, warned, and accepts nothing here', () => {
    const { tcp, r } = run([
      cnp('dns', 'Admin', 1, {
        subject: { namespaces: nsSelector('web') },
        egress: [{ action: 'Accept', to: [{ domainNames: ['*.example.com'] }] }],
      }),
      cnp('deny-out', 'Admin', 2, {
        subject: { namespaces: nsSelector('web') },
        egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }],
      }),
    ]);
    expect(tcp(WEB, DB)).toBe(false); // 10.1.0.5 is inside 0.0.0.0/0
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(
      /domainNames \(\*\.example\.com\) cannot be decided from objects/,
    );
  });

  test("a connection needs both the source's egress and the destination's ingress decision", () => {
    const { tcp } = run([
      cnp('accept-in', 'Admin', 1, { subject: dbSubject, ingress: [{ action: 'Accept', from: fromNamespace('web') }] }),
      cnp('deny-out', 'Admin', 2, {
        subject: { namespaces: nsSelector('web') },
        egress: [{ action: 'Deny', to: fromNamespace('db') }],
      }),
    ]);
    expect(tcp(WEB, DB)).toBe(false);
  });
});

describe('the summary counts a workload as unprotected only when no tier restricts its ingress', () => {
  test('a Baseline Deny protects pods NetworkPolicy leaves unisolated; an admin Allow or Pass alone does not', () => {
    const opsSubject = { namespaces: nsSelector('ops') };
    const { r } = run([
      banp({ subject: dbSubject, ingress: [{ action: 'Deny', from: fromNamespace('web') }] }),
      anp('allow-ops', 10, { subject: opsSubject, ingress: [{ action: 'Allow', from: fromNamespace('web') }] }),
      anp('pass-web', 11, {
        subject: { namespaces: nsSelector('web') },
        ingress: [{ action: 'Pass', from: fromNamespace('ops') }],
      }),
    ]);
    expect(r.summary().unprotected).toEqual([OPS, WEB]);
  });

  test('an admin Deny protects; NetworkPolicy isolation protects as before', () => {
    const { r } = run([
      anp('deny-db', 10, { subject: dbSubject, ingress: [{ action: 'Deny', from: fromNamespace('ops') }] }),
      netpol('web', 'closed', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(r.summary().unprotected).toEqual([OPS]);
  });
});
