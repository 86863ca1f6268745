import { join } from 'node:path';
import type { Pool } from 'pg';
import { PACKAGE_ROOT } from '../../package-root.js';
import type { ClusterRow, ClustersRepository } from '../../store/clusters.repository.js';
import { readTimeline, replayTimeline } from './replay-timeline.js';

/** The demo's manifest timeline, shipped with the package. */
export const DEMO_DIR = join(PACKAGE_ROOT, 'examples/demo');

/** The demo cluster is never snapshotted on a schedule: its history is the replayed timeline. */
const DEMO_EVERY_SECONDS = 24 * 3600;

/** Serializes two demos replaying at once (a session lock, apart from the snapshot writers' lock). */
const DEMO_LOCK_SPACE = 0x64656d6f; // "demo"

export class DemoHistoryError extends Error {}

/**
 * Registers the timeline's cluster (source: the latest point's manifests, paused) unless a
 * cluster of that name is registered already, which is then left as it is.
 */
export async function ensureDemoCluster(
  clusters: ClustersRepository,
  dir: string = DEMO_DIR,
): Promise<{ cluster: ClusterRow; created: boolean }> {
  const timeline = readTimeline(dir);
  const existing = await clusters.findByName(timeline.cluster);
  if (existing) return { cluster: existing, created: false };
  const latest = timeline.points.at(-1);
  if (!latest) throw new DemoHistoryError(`${join(dir, 'timeline.yaml')} has no points`);
  const added = await clusters.add(
    timeline.cluster,
    { kind: 'manifests', dir: join(dir, latest.dir) },
    DEMO_EVERY_SECONDS,
  );
  await clusters.setPaused(added.id, true);
  return { cluster: { ...added, paused: true }, created: true };
}

export interface ReplayResult {
  /** Whether this call stored the timeline (false: it was there already). */
  replayed: boolean;
  /** The moment the timeline's `daysAgo` counted back from, on whichever run replayed it. */
  replayedAt: Date;
  snapshots: number;
}

/**
 * Replays the timeline as the cluster's history unless it has history already, so running the
 * demo twice never duplicates it. A cluster with fewer snapshots than the timeline has points
 * is an interrupted replay: that is reported rather than papered over.
 */
export async function replayTimelineOnce(
  pool: Pool,
  clusterId: number,
  dir: string = DEMO_DIR,
  now: Date = new Date(),
): Promise<ReplayResult> {
  const points = readTimeline(dir).points;
  const oldestDaysAgo = points[0]?.daysAgo ?? 0;
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, $2)', [DEMO_LOCK_SPACE, clusterId]);
    const { rows } = await lock.query<{ n: string; first: Date | null }>(
      'SELECT count(*) AS n, min(taken_at) AS first FROM snapshot WHERE cluster_id = $1',
      [clusterId],
    );
    const stored = Number(rows[0]!.n);
    if (stored === 0) {
      const outcomes = await replayTimeline(pool, clusterId, dir, now);
      return { replayed: true, replayedAt: now, snapshots: outcomes.length };
    }
    if (stored < points.length) {
      throw new DemoHistoryError(
        `the demo cluster has ${stored} of the timeline's ${points.length} snapshots ` +
          '(an interrupted replay, or one by an earlier reachlog whose timeline had fewer points): ' +
          'remove it with `reachlog cluster remove demo --purge`, then run the demo again',
      );
    }
    const replayedAt = new Date(rows[0]!.first!.getTime() + oldestDaysAgo * 86_400_000);
    return { replayed: false, replayedAt, snapshots: stored };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1, $2)', [DEMO_LOCK_SPACE, clusterId]).catch(() => undefined);
    lock.release();
  }
}
