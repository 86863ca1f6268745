import { describe, expect, test } from 'vitest';
import { formatJson } from '../../../engine/format/json.js';
import { analyze } from '../../../engine/index.js';
import { pod, policy } from './objects.js';

const parse = (chunks: Iterable<string>) => JSON.parse([...chunks].join('')) as Record<string, unknown>;

describe('json', () => {
  const reach = analyze([
    pod('ns', 'client'),
    pod('ns', 'server-1', { app: 'server', track: 'stable' }, [{ name: 'http', containerPort: 80 }]),
    pod('ns', 'server-2', { app: 'server', track: 'canary' }, [{ name: 'http', containerPort: 81 }]),
    policy('ns', 'server', {
      podSelector: { matchLabels: { app: 'server' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: [
            { protocol: 'TCP', port: 80 },
            { protocol: 'TCP', port: 8000, endPort: 8100 },
          ],
        },
      ],
    }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'ns', name: 'c' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns' } },
  ]);
  const out = parse(formatJson(reach));

  test('top-level fields, connections first', () => {
    expect(Object.keys(out)).toEqual(['connections', 'summary', 'warnings', 'errors', 'skippedKinds', 'workloads']);
  });

  test('a connection is {src, dst, allowed: [{protocol, ports: [[lo, hi]]}]}', () => {
    const connections = out.connections as unknown[];
    expect(connections).toContainEqual({
      src: 'ns/client[Pod]',
      dst: 'ns/server-1[Pod]',
      allowed: [
        {
          protocol: 'TCP',
          ports: [
            [80, 80],
            [8000, 8100],
          ],
        },
      ],
    });
    // Outside addresses per family: one `0.0.0.0/0` peer and one `::/0` peer, not one lump.
    expect(connections).toContainEqual({
      src: 'ns/server-1[Pod]',
      dst: 'ip:::/0',
      allowed: [
        { protocol: 'TCP', ports: [[1, 65535]] },
        { protocol: 'UDP', ports: [[1, 65535]] },
        { protocol: 'SCTP', ports: [[1, 65535]] },
      ],
    });
    expect(connections).toContainEqual({
      src: 'ns/server-1[Pod]',
      dst: 'ip:0.0.0.0/0',
      allowed: [
        { protocol: 'TCP', ports: [[1, 65535]] },
        { protocol: 'UDP', ports: [[1, 65535]] },
        { protocol: 'SCTP', ports: [[1, 65535]] },
      ],
    });
  });

  test('one connection object per line, so the array streams', () => {
    const lines = [...formatJson(reach)].join('').split('\n');
    expect(lines[0]).toBe('{"connections": [');
    const objectLines = lines.filter((l) => l.startsWith('{"src":'));
    expect(objectLines).toHaveLength((out.connections as unknown[]).length);
  });

  test('summary, errors and skipped kinds beside the connections', () => {
    expect(out.summary).toEqual(reach.summary());
    expect(out.errors).toEqual(reach.cluster.errors.map((e) => e.message));
    expect((out.errors as string[]).length).toBe(1);
    expect(out.skippedKinds).toEqual({ ConfigMap: 1 });
    expect(out.warnings).toEqual([]);
  });

  test('workloads lists only those whose pods differ, with their variants', () => {
    // Bare pods are each their own workload: none varies.
    expect(out.workloads).toEqual([]);
    const deployment = analyze([
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          namespace: 'ns',
          name: 'web-1',
          ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
        },
        spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
      },
      ...['a', 'b', 'c'].map((s, i) => {
        const canary = i === 2;
        const body = pod(
          'ns',
          `web-1-${s}`,
          canary ? { track: 'canary', app: 'web' } : { app: 'web' },
          canary ? [] : [{ name: 'http', containerPort: 8080 }],
        );
        (body.metadata as Record<string, unknown>).ownerReferences = [
          { kind: 'ReplicaSet', name: 'web-1', controller: true },
        ];
        return body;
      }),
    ]);
    expect(parse(formatJson(deployment)).workloads).toEqual([
      {
        id: 'ns/web[Deployment]',
        variants: [
          { labels: { app: 'web' }, namedPorts: [{ name: 'http', protocol: 'TCP', port: 8080 }], pods: 2 },
          { labels: { app: 'web', track: 'canary' }, namedPorts: [], pods: 1 },
        ],
      },
    ]);
  });

  test('no connections is still valid JSON', () => {
    const denied = analyze([
      pod('ns', 'a'),
      policy('ns', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ]);
    expect(parse(formatJson(denied)).connections).toEqual([]);
  });
});
