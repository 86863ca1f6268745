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

  test('an outside group is printed as one [External] line per address range', () => {
    const toA = lines.filter((l) => l.endsWith('=> ns/a[Pod] : TCP 80'));
    expect(toA).toEqual([
      '0.0.0.0-9.255.255.255[External] => ns/a[Pod] : TCP 80',
      '11.0.0.0-255.255.255.255[External] => ns/a[Pod] : TCP 80',
    ]);
  });

  test('outside ranges are ordered by address, not by text (10.x before 11.x, IPv4 before IPv6)', () => {
    const fromB = lines.filter((l) => l.startsWith('ns/b[Pod] => ') && l.includes('[External]'));
    expect(fromB.map((l) => l.split(' ')[2])).toEqual([
      '0.0.0.0-9.255.255.255[External]',
      '10.0.0.0-10.255.255.255[External]',
      '11.0.0.0-255.255.255.255[External]',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]',
    ]);
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
