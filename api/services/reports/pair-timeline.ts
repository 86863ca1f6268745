import type { PortRange } from '../query-service.js';
import { pairKey, type StoredConnectionChange } from '../../../store/exposure-events.repository.js';
import type { IdSpan } from './period.js';

/** A stretch of time in which `src` could open the connections `allowed` to `dst`. */
export interface PairSpan {
  src: string;
  dst: string;
  allowed: PortRange[];
  span: IdSpan;
}

export interface InitialPair {
  src: string;
  dst: string;
  allowed: PortRange[];
}

/**
 * Who could reach whom over a period, replayed from the stored history rather than recomputed:
 * the pairs in force at the first snapshot, then each stored change (its `after` is the pair's
 * new allowed set). A pair's spans end where its allowed set changes, so each span has one set.
 */
export function pairSpans(
  firstId: number,
  initial: Iterable<InitialPair>,
  changes: readonly StoredConnectionChange[],
): PairSpan[] {
  const open = new Map<string, { src: string; dst: string; allowed: PortRange[]; from: number }>();
  for (const p of initial) open.set(pairKey(p.src, p.dst), { ...p, from: firstId });
  const done: PairSpan[] = [];
  const sorted = [...changes].sort((a, b) => a.snapshotId - b.snapshotId);
  for (const c of sorted) {
    const key = pairKey(c.src, c.dst);
    const was = open.get(key);
    if (was) {
      done.push({ src: was.src, dst: was.dst, allowed: was.allowed, span: { from: was.from, to: c.snapshotId } });
      open.delete(key);
    }
    if (c.after.length > 0 && c.after.some((r) => r.ports.length > 0)) {
      open.set(key, { src: c.src, dst: c.dst, allowed: c.after, from: c.snapshotId });
    }
  }
  for (const p of open.values())
    done.push({ src: p.src, dst: p.dst, allowed: p.allowed, span: { from: p.from, to: null } });
  return done.sort((a, b) =>
    a.dst !== b.dst ? cmp(a.dst, b.dst) : a.src !== b.src ? cmp(a.src, b.src) : a.span.from - b.span.from,
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `TCP 80, 443; UDP 53`: ranges as people read them. */
export function describePorts(ranges: readonly PortRange[]): string {
  const parts = ranges
    .filter((r) => r.ports.length > 0)
    .map((r) => {
      const ports = r.ports.map(([lo, hi]) => (lo === 1 && hi === 65535 ? 'all' : lo === hi ? `${lo}` : `${lo}-${hi}`));
      return `${r.protocol} ${ports.join(', ')}`;
    });
  return parts.length === 0 ? 'none' : parts.join('; ');
}

/** The namespace of a workload id (`db/postgres[StatefulSet]` → `db`); undefined for outside addresses. */
export function namespaceOfPeer(peer: string): string | undefined {
  return peer.startsWith('ip:') ? undefined : peer.split('/')[0];
}
