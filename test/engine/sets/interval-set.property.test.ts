import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { IntervalSet } from '../../../engine/sets/interval-set.js';

/**
 * IntervalSet against the obvious model, a Set of its members, on a small universe where the
 * model can be enumerated. Ranges may be inverted (empty), overlap or touch.
 */

const UNIVERSE = 40;
const range = fc.tuple(fc.integer({ min: 0, max: UNIVERSE - 1 }), fc.integer({ min: 0, max: UNIVERSE - 1 }));
const ranges = fc.array(range, { maxLength: 6 });

function members(rs: readonly (readonly [number, number])[]): Set<number> {
  const out = new Set<number>();
  for (const [lo, hi] of rs) for (let x = lo; x <= hi; x++) out.add(x);
  return out;
}

function sorted(set: Set<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

/** What the set contains, asked through contains() for every point of the universe. */
function contents(set: IntervalSet<number>): number[] {
  return Array.from({ length: UNIVERSE }, (_, x) => x).filter((x) => set.contains(x));
}

/** Sorted, disjoint and non-adjacent: the one representation each set has, which equals() and key() rely on. */
function isCanonical(set: IntervalSet<number>): boolean {
  return set.ranges.every(([lo, hi], i) => lo <= hi && (i === 0 || set.ranges[i - 1]![1] + 1 < lo));
}

describe('IntervalSet', () => {
  test('fromRanges holds exactly the members of its ranges, in canonical form', () => {
    fc.assert(
      fc.property(ranges, (rs) => {
        const set = IntervalSet.fromRanges(rs);
        expect(contents(set)).toEqual(sorted(members(rs)));
        expect(sorted(members(set.ranges))).toEqual(sorted(members(rs)));
        expect(isCanonical(set)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('union, intersect and subtract agree with the same operations on Sets', () => {
    fc.assert(
      fc.property(ranges, ranges, (ra, rb) => {
        const [a, b] = [IntervalSet.fromRanges(ra), IntervalSet.fromRanges(rb)];
        const [ma, mb] = [members(ra), members(rb)];
        const cases: [IntervalSet<number>, number[]][] = [
          [a.union(b), sorted(new Set([...ma, ...mb]))],
          [a.intersect(b), sorted(new Set([...ma].filter((x) => mb.has(x))))],
          [a.subtract(b), sorted(new Set([...ma].filter((x) => !mb.has(x))))],
        ];
        for (const [result, expected] of cases) {
          expect(contents(result)).toEqual(expected);
          expect(isCanonical(result)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('equals, key and covers agree with Set equality and inclusion', () => {
    fc.assert(
      fc.property(ranges, ranges, (ra, rb) => {
        const [a, b] = [IntervalSet.fromRanges(ra), IntervalSet.fromRanges(rb)];
        const [ma, mb] = [members(ra), members(rb)];
        const same = ma.size === mb.size && [...ma].every((x) => mb.has(x));
        expect(a.equals(b)).toBe(same);
        expect(a.key() === b.key()).toBe(same);
        expect(a.covers(b)).toBe([...mb].every((x) => ma.has(x)));
        expect(a.isEmpty()).toBe(ma.size === 0);
      }),
      { numRuns: 1000 },
    );
  });

  test('bigint sets behave like number sets (addresses share the implementation)', () => {
    const toBig = (rs: [number, number][]) => rs.map(([lo, hi]) => [BigInt(lo), BigInt(hi)] as const);
    fc.assert(
      fc.property(ranges, ranges, (ra, rb) => {
        const [a, b] = [IntervalSet.fromRanges(ra), IntervalSet.fromRanges(rb)];
        const [ba, bb] = [IntervalSet.fromRanges(toBig(ra)), IntervalSet.fromRanges(toBig(rb))];
        for (const op of ['union', 'intersect', 'subtract'] as const) {
          expect(ba[op](bb).key()).toBe(a[op](b).key());
        }
      }),
      { numRuns: 300 },
    );
  });
});
