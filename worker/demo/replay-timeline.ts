import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { parse } from 'yaml';
import { readManifests } from '../../input/manifest-files.js';
import { storeSnapshot, type SnapshotOutcome } from '../snapshot/store-snapshot.js';

export interface TimelinePoint {
  dir: string;
  daysAgo: number;
}

export interface Timeline {
  cluster: string;
  points: TimelinePoint[];
}

export function readTimeline(dir: string): Timeline {
  const timeline = parse(readFileSync(join(dir, 'timeline.yaml'), 'utf8')) as Timeline;
  return { ...timeline, points: [...timeline.points].sort((a, b) => b.daysAgo - a.daysAgo) };
}

/**
 * Stores each point of a manifest timeline as a snapshot dated `daysAgo` before `now`, oldest
 * first, exactly as the worker would have stored them had it been running then.
 */
export async function replayTimeline(
  pool: Pool,
  clusterId: number,
  dir: string,
  now: Date = new Date(),
): Promise<SnapshotOutcome[]> {
  const outcomes: SnapshotOutcome[] = [];
  for (const point of readTimeline(dir).points) {
    const { objects, errors } = readManifests([join(dir, point.dir)]);
    const takenAt = new Date(now.getTime() - point.daysAgo * 86_400_000);
    outcomes.push(await storeSnapshot(pool, clusterId, objects, { takenAt, readErrors: errors }));
  }
  return outcomes;
}
