import { describe, expect, test } from 'vitest';
import { dotId, formatDot } from '../../../engine/format/dot.js';
import { analyze } from '../../../engine/index.js';
import { pod, policy } from './objects.js';

/** Every line's quoted strings close: no quote is left unescaped inside an ID. */
function quotesBalanced(line: string): boolean {
  return (line.replace(/\\\\/g, '').replace(/\\"/g, '').match(/"/g) ?? []).length % 2 === 0;
}

describe('dot', () => {
  test('IDs are quoted, with quotes, backslashes and line breaks escaped', () => {
    expect(dotId('ns/web[Deployment]')).toBe('"ns/web[Deployment]"');
    expect(dotId('say "hi"')).toBe('"say \\"hi\\""');
    expect(dotId('a\\b')).toBe('"a\\\\b"');
    expect(dotId('a\nb')).toBe('"a\\nb"');
    expect(quotesBalanced(dotId('x "y" \\ z\\'))).toBe(true);
  });

  test('a digraph, one cluster subgraph per namespace, outside groups as boxes, labelled edges', () => {
    const reach = analyze([
      pod('frontend', 'web'),
      pod('backend', 'api'),
      policy('backend', 'api', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      }),
    ]);
    const out = [...formatDot(reach)].join('');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('digraph reachability {');
    expect(lines.at(-1)).toBe('}');
    expect(out).toContain(
      '  subgraph "cluster_backend" {\n    label="backend";\n    "backend/api[Pod]" [label="api[Pod]"];\n  }\n',
    );
    expect(out).toContain('  subgraph "cluster_frontend" {');
    expect(out).toContain('  "outside_0" [shape=box, label="0.0.0.0/0\\n::/0"];');
    expect(out).toContain('  "frontend/web[Pod]" -> "backend/api[Pod]" [label="TCP 8080"];');
    expect(out).toContain('  "outside_0" -> "frontend/web[Pod]" [label="All Connections"];');
    expect(lines.every(quotesBalanced)).toBe(true);
  });
});
