import { describe, expect, test } from 'vitest';
import { buildCluster } from '../../../engine/index.js';
import { anp, banp, cnp, nsSelector } from '../../support/admin-objects.js';

/**
 * Validation of the admin tiers as their CRD schemas make the API server apply it
 * (kubernetes-sigs/network-policy-api apis/v1alpha1, apis/v1alpha2): one error per object,
 * naming file, document, object and field; the object is left out.
 */

type Body = Record<string, unknown>;

function errorsOf(body: Body): string[] {
  const cluster = buildCluster([{ source: { file: 'admin.yaml', doc: 3 }, body }]);
  return cluster.errors.map((e) => e.message);
}

const subject = { namespaces: nsSelector('db') };
const from = [{ namespaces: {} }];

describe('admin policy validation', () => {
  test('accepts a valid AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy', () => {
    const cluster = buildCluster(
      [
        anp('a', 0, { subject, ingress: [{ action: 'Pass', from, ports: [{ portRange: { start: 1, end: 2 } }] }] }),
        banp({ subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'x' } } } } }),
        cnp('c', 'Baseline', 1000, { subject, egress: [{ action: 'Accept', to: [{ networks: ['10.0.0.0/8'] }] }] }),
      ].map((body, i) => ({ source: { file: 'ok.yaml', doc: i + 1 }, body })),
    );
    expect(cluster.errors).toEqual([]);
    expect(cluster.adminPolicies.map((p) => `${p.kind} ${p.name} ${p.tier} ${p.priority}`)).toEqual([
      'AdminNetworkPolicy a Admin 0',
      'BaselineAdminNetworkPolicy default Baseline 1001',
      'ClusterNetworkPolicy c Baseline 1000',
    ]);
  });

  test.each<[string, Body, string]>([
    [
      'priority above 1000',
      anp('p', 1001, { subject }),
      'admin.yaml, document 3: AdminNetworkPolicy p spec.priority: 1001 is out of range (an integer from 0 to 1000)',
    ],
    [
      'priority below 0',
      cnp('p', 'Admin', -1, { subject }),
      'ClusterNetworkPolicy p spec.priority: -1 is out of range',
    ],
    [
      'an action outside the enum',
      anp('p', 1, { subject, ingress: [{ action: 'Accept', from }] }),
      'AdminNetworkPolicy p spec.ingress[0].action: unknown action "Accept" (expected Allow, Deny, Pass)',
    ],
    [
      'Pass in a BaselineAdminNetworkPolicy',
      banp({ subject, ingress: [{ action: 'Pass', from }] }),
      'BaselineAdminNetworkPolicy default spec.ingress[0].action: unknown action "Pass" (expected Allow, Deny)',
    ],
    [
      'Allow in a ClusterNetworkPolicy',
      cnp('c', 'Admin', 1, { subject, egress: [{ action: 'Allow', to: from }] }),
      'spec.egress[0].action: unknown action "Allow" (expected Accept, Deny, Pass)',
    ],
    [
      'a BaselineAdminNetworkPolicy not named default',
      banp({ subject }, 'other'),
      'BaselineAdminNetworkPolicy other metadata.name: must be "default"',
    ],
    [
      '101 rules',
      anp('p', 1, { subject, ingress: Array.from({ length: 101 }, () => ({ action: 'Deny', from })) }),
      'AdminNetworkPolicy p spec.ingress: must have at most 100 items (has 101)',
    ],
    [
      '26 ClusterNetworkPolicy rules',
      cnp('c', 'Admin', 1, { subject, ingress: Array.from({ length: 26 }, () => ({ action: 'Deny', from })) }),
      'spec.ingress: must have at most 25 items (has 26)',
    ],
    [
      'a peer with two fields',
      anp('p', 1, { subject, egress: [{ action: 'Deny', to: [{ namespaces: {}, networks: ['10.0.0.0/8'] }] }] }),
      'spec.egress[0].to[0]: must set exactly one of namespaces, pods, nodes, networks, domainNames (has namespaces, networks)',
    ],
    [
      'a subject with both fields',
      anp('p', 1, { subject: { namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } } }),
      'spec.subject: must set exactly one of namespaces, pods (has namespaces, pods)',
    ],
    [
      'an empty peer',
      anp('p', 1, { subject, ingress: [{ action: 'Deny', from: [{}] }] }),
      'spec.ingress[0].from[0]: must set exactly one of namespaces, pods',
    ],
    ['no from', anp('p', 1, { subject, ingress: [{ action: 'Deny' }] }), 'spec.ingress[0].from: is required'],
    [
      'networks in ingress',
      anp('p', 1, { subject, ingress: [{ action: 'Deny', from: [{ networks: ['10.0.0.0/8'] }] }] }),
      'spec.ingress[0].from[0].networks: is an egress peer only (not allowed in from)',
    ],
    [
      'a bad network CIDR',
      anp('p', 1, { subject, egress: [{ action: 'Deny', to: [{ networks: ['10.0.0/8'] }] }] }),
      'spec.egress[0].to[0].networks[0]: "10.0.0/8" is not a valid CIDR',
    ],
    [
      'a named port with networks',
      anp('p', 1, {
        subject,
        egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }], ports: [{ namedPort: 'http' }] }],
      }),
      'spec.egress[0]: networks/nodes/domainNames peers cannot be set with named ports',
    ],
    [
      'portRange start not below end',
      anp('p', 1, { subject, ingress: [{ action: 'Deny', from, ports: [{ portRange: { start: 80, end: 80 } }] }] }),
      'spec.ingress[0].ports[0].portRange.end: must be greater than start (80)',
    ],
    [
      'an empty ports list',
      anp('p', 1, { subject, ingress: [{ action: 'Deny', from, ports: [] }] }),
      'spec.ingress[0].ports: must have at least 1 item(s)',
    ],
    [
      'a ClusterNetworkPolicy without tier',
      { ...cnp('c', 'Admin', 1, { subject }), spec: { priority: 1, subject } },
      'ClusterNetworkPolicy c spec.tier: unknown tier undefined (expected Admin or Baseline)',
    ],
    [
      'a protocol entry with two fields',
      cnp('c', 'Admin', 1, {
        subject,
        ingress: [
          {
            action: 'Deny',
            from,
            protocols: [{ tcp: { destinationPort: { number: 80 } }, udp: { destinationPort: { number: 53 } } }],
          },
        ],
      }),
      'spec.ingress[0].protocols[0]: must set exactly one of tcp, udp, sctp, destinationNamedPort (has tcp, udp)',
    ],
    [
      'a bad domain name',
      cnp('c', 'Admin', 1, { subject, egress: [{ action: 'Accept', to: [{ domainNames: ['ex*mple.com'] }] }] }),
      'spec.egress[0].to[0].domainNames[0]: "ex*mple.com" is not a valid domain name',
    ],
  ])('rejects %s', (_name, body, message) => {
    const errors = errorsOf(body);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  test('a peer holding only a field this version does not know is kept (it fails closed when evaluated)', () => {
    const cluster = buildCluster([
      {
        source: { file: 'a.yaml', doc: 1 },
        body: anp('p', 1, { subject, ingress: [{ action: 'Deny', from: [{ serviceAccounts: {} }] }] }),
      },
    ]);
    expect(cluster.errors).toEqual([]);
    expect(cluster.adminPolicies[0]!.ingress[0]!.peers).toEqual([{ kind: 'unknown', fields: ['serviceAccounts'] }]);
  });
});
