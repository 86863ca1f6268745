import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fromBigInt, parseAddress } from '../../../engine/sets/address-set.js';

/** Pod IPs take a hand-written IPv4 path (no regex, no array per address): pinned to the arithmetic and to the round trip. */

const octet = fc.integer({ min: 0, max: 255 });

test('a dotted quad is its four octets, big-endian, and prints back as itself', () => {
  fc.assert(
    fc.property(fc.tuple(octet, octet, octet, octet), (o) => {
      const text = o.join('.');
      const value = BigInt(o[0]! * 2 ** 24 + o[1]! * 2 ** 16 + o[2]! * 2 ** 8 + o[3]!);
      expect(parseAddress(text)).toBe(value);
      expect(fromBigInt(value)).toBe(text);
    }),
  );
});

test('an octet above 255, a missing or extra part, or a stray character is not an IPv4 address (the slow path keeps its own loose forms, e.g. hex octets)', () => {
  fc.assert(
    fc.property(
      fc.tuple(octet, octet, octet, octet),
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom('256', '999', '', '1.5', '-1', '1a', '+1', '1 1'),
      (o, at, bad) => {
        const parts = o.map(String);
        parts[at] = bad;
        const parsed = parseAddress(parts.join('.'));
        expect(parsed === undefined || parsed > 0xffffffffn).toBe(true);
      },
    ),
  );
});

test('IPv6 and surrounding spaces still parse; nonsense does not', () => {
  expect(parseAddress(' 10.0.0.1 ')).toBe(parseAddress('10.0.0.1'));
  expect(fromBigInt(parseAddress('fd00::5')!)).toBe('fd00::5');
  expect(parseAddress('')).toBeUndefined();
  expect(parseAddress('1.2.3.4.5')).toBeUndefined();
});
