/**
 * A set of integers (number or bigint) kept as sorted, disjoint, non-adjacent closed
 * intervals. Immutable: every operation returns a new set. Ports use numbers, addresses
 * (128-bit for IPv6) use bigints; both share this one implementation.
 */
export type Bound = number | bigint;
export type Range<T extends Bound> = readonly [T, T];

function next<T extends Bound>(x: T): T {
  return (typeof x === 'bigint' ? x + 1n : (x as number) + 1) as T;
}
function prev<T extends Bound>(x: T): T {
  return (typeof x === 'bigint' ? x - 1n : (x as number) - 1) as T;
}

export class IntervalSet<T extends Bound> {
  private constructor(readonly ranges: readonly Range<T>[]) {}

  static empty<T extends Bound>(): IntervalSet<T> {
    return new IntervalSet<T>([]);
  }

  static of<T extends Bound>(lo: T, hi: T): IntervalSet<T> {
    return lo > hi ? IntervalSet.empty<T>() : new IntervalSet<T>([[lo, hi]]);
  }

  /** Accepts ranges in any order, overlapping or adjacent. */
  static fromRanges<T extends Bound>(ranges: Iterable<Range<T>>): IntervalSet<T> {
    const sorted = [...ranges].filter(([lo, hi]) => lo <= hi).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const merged: [T, T][] = [];
    for (const [lo, hi] of sorted) {
      const last = merged[merged.length - 1];
      if (last && lo <= next(last[1])) {
        if (hi > last[1]) last[1] = hi;
      } else {
        merged.push([lo, hi]);
      }
    }
    return new IntervalSet<T>(merged);
  }

  isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  contains(x: T): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = this.ranges[mid]!;
      if (x < a) hi = mid - 1;
      else if (x > b) lo = mid + 1;
      else return true;
    }
    return false;
  }

  union(other: IntervalSet<T>): IntervalSet<T> {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return IntervalSet.fromRanges([...this.ranges, ...other.ranges]);
  }

  intersect(other: IntervalSet<T>): IntervalSet<T> {
    if (this.isEmpty() || other.isEmpty()) return IntervalSet.empty<T>();
    const out: Range<T>[] = [];
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < other.ranges.length) {
      const [a1, b1] = this.ranges[i]!;
      const [a2, b2] = other.ranges[j]!;
      const lo = a1 > a2 ? a1 : a2;
      const hi = b1 < b2 ? b1 : b2;
      if (lo <= hi) out.push([lo, hi]);
      if (b1 < b2) i++;
      else j++;
    }
    return new IntervalSet<T>(out);
  }

  subtract(other: IntervalSet<T>): IntervalSet<T> {
    if (this.isEmpty() || other.isEmpty()) return this;
    const out: Range<T>[] = [];
    let j = 0;
    for (const [a, b] of this.ranges) {
      let lo = a;
      while (j < other.ranges.length && other.ranges[j]![1] < lo) j++;
      let k = j;
      while (k < other.ranges.length && other.ranges[k]![0] <= b) {
        const [c, d] = other.ranges[k]!;
        if (c > lo) out.push([lo, prev(c)]);
        if (d >= b) {
          lo = next(b);
          break;
        }
        lo = next(d);
        k++;
      }
      if (lo <= b) out.push([lo, b]);
    }
    return new IntervalSet<T>(out);
  }

  /** True when every member of `other` is in this set. */
  covers(other: IntervalSet<T>): boolean {
    return other.subtract(this).isEmpty();
  }

  equals(other: IntervalSet<T>): boolean {
    if (this.ranges.length !== other.ranges.length) return false;
    return this.ranges.every(([a, b], i) => a === other.ranges[i]![0] && b === other.ranges[i]![1]);
  }

  /** A compact text key, equal for equal sets. */
  key(): string {
    return this.ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
  }
}
