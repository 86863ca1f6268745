import { ALL_V4, IntervalSet, parseCidr } from '../../../engine/index.js';
import type { PairSpan } from './pair-timeline.js';
import { mergeSpans, type IdSpan } from './period.js';

/** The addresses an outside group stands for: its id is `ip:` and its CIDRs. */
function addressesOf(groupId: string): IntervalSet<bigint> {
  return groupId
    .slice('ip:'.length)
    .split(',')
    .reduce((set, cidr) => set.union(parseCidr(cidr).range), IntervalSet.empty<bigint>());
}

/**
 * When every IPv4 address (0.0.0.0/0) could open some connection to the workload: the groups
 * reaching it at each point cover all of IPv4. Groups are re-cut when ipBlocks change, so the
 * check is on the addresses, not on group ids.
 */
export function openToWorldSpans(outsideSpans: readonly PairSpan[]): IdSpan[] {
  if (outsideSpans.length === 0) return [];
  const points = new Set<number>();
  for (const s of outsideSpans) {
    points.add(s.span.from);
    if (s.span.to !== null) points.add(s.span.to);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const open: IdSpan[] = [];
  const addresses = new Map<string, IntervalSet<bigint>>();
  sorted.forEach((point, i) => {
    let covered = IntervalSet.empty<bigint>();
    for (const s of outsideSpans) {
      if (s.span.from <= point && (s.span.to === null || s.span.to > point)) {
        let a = addresses.get(s.src);
        if (!a) addresses.set(s.src, (a = addressesOf(s.src)));
        covered = covered.union(a);
      }
    }
    if (covered.covers(ALL_V4)) open.push({ from: point, to: sorted[i + 1] ?? null });
  });
  return mergeSpans(open);
}
