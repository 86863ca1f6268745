/**
 * When a cluster's history has a gap nobody asked for. A snapshot is due every interval; one
 * late run (a busy worker, a retry's backoff) is normal, two missed in a row is not: the worker
 * lost its schedule (Redis lost its data), is down, or every attempt fails. The API, the CLI,
 * the worker's /readyz, metrics and alerts all ask this one function, so they never disagree.
 */

/** A cluster is overdue once its last successful snapshot is older than this many intervals. */
export const OVERDUE_INTERVALS = 2;

/**
 * Whether a snapshot is overdue: `lastSuccessAt` older than OVERDUE_INTERVALS × `intervalMs`
 * before `now`. Null (never succeeded, nothing known) counts as overdue: an audit trail with no
 * start is a gap too. Callers that want to give a new cluster time for its first snapshot pass
 * its registration time instead (see `overdueFrom`).
 */
export function isOverdue(lastSuccessAt: Date | null, intervalMs: number, now: Date): boolean {
  if (lastSuccessAt === null) return true;
  return now.getTime() - lastSuccessAt.getTime() > OVERDUE_INTERVALS * intervalMs;
}

/** The moment a snapshot becomes overdue, or null when there is nothing to count from. */
export function overdueAt(lastSuccessAt: Date | null, intervalMs: number): Date | null {
  return lastSuccessAt === null ? null : new Date(lastSuccessAt.getTime() + OVERDUE_INTERVALS * intervalMs);
}

/** What the overdue question needs of a registered cluster. */
export interface ScheduledCluster {
  everySeconds: number;
  paused: boolean;
  createdAt: Date;
  /** When its last successful (changed or unchanged) snapshot was taken; null if none yet. */
  lastSuccessAt: Date | null;
}

/** Where a cluster's overdue clock starts: its last success, else its registration. */
export function overdueFrom(c: ScheduledCluster): Date {
  return c.lastSuccessAt ?? c.createdAt;
}

/**
 * A registered cluster's overdue state: a paused cluster is never overdue (no snapshot is due);
 * a new one gets OVERDUE_INTERVALS intervals from registration for its first success.
 */
export function clusterIsOverdue(c: ScheduledCluster, now: Date): boolean {
  return !c.paused && isOverdue(overdueFrom(c), c.everySeconds * 1000, now);
}
