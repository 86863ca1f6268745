import type { ConnectionSet } from '../sets/connection-set.js';

export type ChangeKind = 'added' | 'removed' | 'widened' | 'narrowed' | 'changed';

/** One pair whose allowed connections differ between two computations. */
export interface ConnectionChange {
  src: string;
  dst: string;
  /** `changed`: some ports gained and others lost at once. */
  change: ChangeKind;
  before: ConnectionSet;
  after: ConnectionSet;
  gained: ConnectionSet;
  lost: ConnectionSet;
}

export function compareConnections(
  src: string,
  dst: string,
  before: ConnectionSet,
  after: ConnectionSet,
): ConnectionChange | undefined {
  if (before.equals(after)) return undefined;
  const gained = after.subtract(before);
  const lost = before.subtract(after);
  const change: ChangeKind = before.isEmpty()
    ? 'added'
    : after.isEmpty()
      ? 'removed'
      : lost.isEmpty()
        ? 'widened'
        : gained.isEmpty()
          ? 'narrowed'
          : 'changed';
  return { src, dst, change, before, after, gained, lost };
}

export function byPair(a: { src: string; dst: string }, b: { src: string; dst: string }): number {
  if (a.src !== b.src) return a.src < b.src ? -1 : 1;
  return a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0;
}
