import { describe, expect, test } from 'vitest';
import { formatTxt } from '../../../engine/format/txt.js';
import { analyze } from '../../../engine/index.js';
import { pod, policy } from './objects.js';

const text = (chunks: Iterable<string>) => [...chunks].join('');

describe('txt', () => {
  const reach = analyze([
    pod('ns', 'a'),
    pod('ns', 'b'),
    policy('ns', 'a-ingress', {
      podSelector: { matchLabels: { app: 'a' } },
      ingress: [
        { from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ protocol: 'TCP', port: 80 }] },
        { from: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      ],
    }),
  ]);
  const lines = text(formatTxt(reach)).split('\n');

  test('one line per allowed connection: src => dst : allowed', () => {
    expect(lines).toContain('ns/b[Pod] => ns/a[Pod] : TCP 8080');
    expect(lines.at(-1)).toBe('');
  });

  test('outside addresses are written as the ipBlock was: one line for 0.0.0.0/0 except 10.0.0.0/8', () => {
    const toA = lines.filter((l) => l.endsWith('=> ns/a[Pod] : TCP 80'));
    expect(toA).toEqual(['0.0.0.0/0 except 10.0.0.0/8 => ns/a[Pod] : TCP 80']);
  });

  test('outside groups a row allows alike are one line per address family, though the partition cuts them', () => {
    // The partition has 0-9.x, 10.x and 11.x+ (cut by a-ingress's except); b reaches all alike.
    const fromB = lines.filter((l) => l.startsWith('ns/b[Pod] => ') && !l.includes('[Pod] :'));
    expect(fromB).toEqual(['ns/b[Pod] => 0.0.0.0/0 : All Connections', 'ns/b[Pod] => ::/0 : All Connections']);
  });

  test('the same input gives the same output', () => {
    expect(text(formatTxt(reach))).toBe(lines.join('\n'));
  });

  test('focus keeps only the connections from or to one peer', () => {
    const focused = text(formatTxt(reach, { focus: 'ns/b[Pod]' }))
      .trimEnd()
      .split('\n');
    expect(focused.length).toBeGreaterThan(0);
    expect(focused.every((l) => l.includes('ns/b[Pod]'))).toBe(true);
  });
});
