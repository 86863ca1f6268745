import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ALL_V4,
  addressGroups,
  describeAddresses,
  groupAddresses,
  IntervalSet,
  parseCidr,
  toCidrs,
  type AddressSet,
} from '../../../engine/index.js';

/** Random sets built the way policies build them: unions of blocks with blocks cut out. */
const v4Cidr = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
  .map(([address, prefix]) => parseCidr(`${[24, 16, 8, 0].map((s) => (address >>> s) & 255).join('.')}/${prefix}`));
const v6Cidr = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
    fc.integer({ min: 0, max: 128 }),
  )
  .map(([parts, prefix]) => parseCidr(`${parts.map((p) => p.toString(16)).join(':')}/${prefix}`));
const cidr = fc.oneof({ weight: 4, arbitrary: v4Cidr }, { weight: 1, arbitrary: v6Cidr });
const addressSet = fc
  .array(fc.tuple(cidr, fc.array(cidr, { maxLength: 4 })), { maxLength: 5 })
  .map((blocks) =>
    blocks.reduce<AddressSet>(
      (set, [block, except]) => set.union(except.reduce((b, e) => b.subtract(e.range), block.range)),
      IntervalSet.empty<bigint>(),
    ),
  );

describe('describeAddresses', () => {
  test('law: the groups stand for exactly the set described', () => {
    fc.assert(
      fc.property(addressSet, (set) => {
        expect(groupAddresses(addressGroups(set)).equals(set)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('law: never more blocks to read than the plain CIDR list, and each exception lies inside its block', () => {
    fc.assert(
      fc.property(addressSet, (set) => {
        const groups = addressGroups(set);
        const printed = groups.reduce((n, g) => n + 1 + g.except.length, 0);
        expect(printed).toBeLessThanOrEqual(toCidrs(set).length);
        for (const g of groups)
          for (const e of g.except) expect(parseCidr(g.cidr).range.covers(parseCidr(e).range)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('everything but one block reads as "except"', () => {
    const world = 'ip:0.0.0.0/5,8.0.0.0/7,11.0.0.0/8,12.0.0.0/6,16.0.0.0/4,32.0.0.0/3,64.0.0.0/2,128.0.0.0/1';
    expect(describeAddresses(world)).toBe('0.0.0.0/0 except 10.0.0.0/8');
    expect(describeAddresses('ip:0.0.0.0/1,128.0.0.0/1')).toBe('0.0.0.0/0');
    const privateRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c).range);
    const internet = privateRanges.reduce((s, r) => s.subtract(r), ALL_V4);
    expect(describeAddresses(internet)).toBe('0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16');
  });

  test('several groups when one is not enough, IPv4 before IPv6', () => {
    const tenMinusOne = parseCidr('10.0.0.0/8').range.subtract(parseCidr('10.1.0.0/16').range);
    const set = tenMinusOne
      .union(parseCidr('192.168.0.0/16').range.subtract(parseCidr('192.168.5.0/24').range))
      .union(parseCidr('::/0').range);
    expect(addressGroups(set)).toEqual([
      { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
      { cidr: '192.168.0.0/16', except: ['192.168.5.0/24'] },
      { cidr: '::/0', except: [] },
    ]);
    expect(describeAddresses(set)).toBe('10.0.0.0/8 except 10.1.0.0/16; 192.168.0.0/16 except 192.168.5.0/24; ::/0');
  });

  test('addresses inside an exception are added back as a group of their own', () => {
    const set = parseCidr('::/0')
      .range.subtract(parseCidr('2001:db8::/32').range)
      .subtract(parseCidr('2001:4860:4860::8888/128').range)
      .union(parseCidr('2001:db8:ff::/48').range);
    expect(describeAddresses(set)).toBe('::/0 except 2001:db8::/32, 2001:4860:4860::8888/128; 2001:db8:ff::/48');
  });

  test('short sets stay plain; workload ids and unparseable ids are returned as given', () => {
    expect(describeAddresses('ip:10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(describeAddresses('ip:10.0.0.0/8,2001:db8::/32')).toBe('10.0.0.0/8, 2001:db8::/32');
    expect(describeAddresses('db/postgres[StatefulSet]')).toBe('db/postgres[StatefulSet]');
    expect(describeAddresses('ip:somewhere')).toBe('ip:somewhere');
  });
});
