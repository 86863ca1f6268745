import { describe, expect, test } from 'vitest';
import { csvField, formatCsv } from '../../../engine/format/csv.js';
import { analyze } from '../../../engine/index.js';
import { pod, policy } from './objects.js';

describe('csv', () => {
  test('RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled', () => {
    expect(csvField('TCP 80')).toBe('TCP 80');
    expect(csvField('TCP 80,443')).toBe('"TCP 80,443"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  });

  test('header src,dst,allowed; a multi-port cell is quoted', () => {
    const reach = analyze([
      pod('ns', 'a'),
      pod('ns', 'b'),
      policy('ns', 'a', {
        podSelector: { matchLabels: { app: 'a' } },
        ingress: [
          {
            ports: [
              { protocol: 'TCP', port: 80 },
              { protocol: 'UDP', port: 53 },
            ],
          },
        ],
      }),
    ]);
    const lines = [...formatCsv(reach)].join('').trimEnd().split('\n');
    expect(lines[0]).toBe('src,dst,allowed');
    expect(lines).toContain('ns/b[Pod],ns/a[Pod],"TCP 80,UDP 53"');
    expect(lines).toContain('0.0.0.0/0,ns/a[Pod],"TCP 80,UDP 53"');
    expect(lines).toContain('ns/a[Pod],ns/b[Pod],All Connections');
  });
});
