import { describe, expect, test } from 'vitest';
import { formatMermaid, mermaidText } from '../../../engine/format/mermaid.js';
import { analyze } from '../../../engine/index.js';
import { aOpenOnTcp80 } from './objects.js';

describe('mermaid', () => {
  test('label text: quotes and markup become entity codes, # first', () => {
    expect(mermaidText('say "hi"')).toBe('say #quot;hi#quot;');
    expect(mermaidText('<b>#1</b>')).toBe('#lt;b#gt;#35;1#lt;/b#gt;');
    expect(mermaidText('`code`')).toBe('#96;code#96;');
    expect(mermaidText('a\nb')).toBe('a b');
  });

  test('flowchart LR, generated node ids with labels, edges `n0 -- "TCP 80" --> n1`', () => {
    const reach = analyze(aOpenOnTcp80());
    const lines = [...formatMermaid(reach)].join('').trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  subgraph ns0["ns"]');
    expect(lines).toContain('    n1("a[Pod]")');
    expect(lines).toContain('    n2("b[Pod]")');
    expect(lines).toContain('  n0["0.0.0.0/0<br>::/0"]');
    expect(lines).toContain('  n2 -- "TCP 80" --> n1');
    const edges = lines.filter((l) => l.includes('-->'));
    expect(edges.every((l) => /^ {2}n\d+ -- "[^"]*" --> n\d+$/.test(l))).toBe(true);
  });
});
