import type pg from 'pg';
import type { SnapshotRow } from './snapshots.repository.js';

export interface ClusterRow {
  id: number;
  name: string;
  sourceKind: string;
  context: string | null;
  inCluster: boolean;
  manifestsDir: string | null;
  everySeconds: number;
  paused: boolean;
  /** The latest attempt, failed ones included: "could not read it" is an audit fact too. */
  lastSnapshot: SnapshotRow | null;
}

interface Row {
  id: number;
  name: string;
  source_kind: string;
  context: string | null;
  in_cluster: boolean;
  manifests_dir: string | null;
  every_seconds: number;
  paused: boolean;
  last: SnapshotJson | null;
}

interface SnapshotJson {
  id: number;
  taken_at: string;
  status: string;
  duration_ms: number | null;
  counts: Record<string, unknown> | null;
  problems: string[] | null;
  error: string | null;
}

const SELECT = `
  SELECT c.id, c.name, c.source_kind, c.context, c.in_cluster, c.manifests_dir, c.every_seconds, c.paused,
         (SELECT json_build_object('id', s.id, 'taken_at', s.taken_at, 'status', s.status,
                                   'duration_ms', s.duration_ms, 'counts', s.counts,
                                   'problems', s.problems, 'error', s.error)
            FROM snapshot s WHERE s.cluster_id = c.id ORDER BY s.taken_at DESC, s.id DESC LIMIT 1) AS last
    FROM cluster c
   WHERE c.removed_at IS NULL AND ($1::int[] IS NULL OR c.id = ANY($1::int[]))`;

function toRow(r: Row): ClusterRow {
  const last = r.last;
  return {
    id: r.id,
    name: r.name,
    sourceKind: r.source_kind,
    context: r.context,
    inCluster: r.in_cluster,
    manifestsDir: r.manifests_dir,
    everySeconds: r.every_seconds,
    paused: r.paused,
    lastSnapshot: last && {
      id: last.id,
      takenAt: new Date(last.taken_at),
      status: last.status,
      durationMs: last.duration_ms,
      counts: last.counts,
      problems: last.problems ?? [],
      error: last.error,
      contentId: null,
    },
  };
}

/** Registered clusters as the query service reads them: only those a principal may see. */
export class ClusterReads {
  constructor(private readonly pool: pg.Pool) {}

  /** `visible`: the cluster ids the caller may see, null for all. */
  async byName(name: string, visible: readonly number[] | null): Promise<ClusterRow | undefined> {
    const { rows } = await this.pool.query<Row>(`${SELECT} AND c.name = $2 ORDER BY c.id DESC LIMIT 1`, [
      visible,
      name,
    ]);
    return rows[0] && toRow(rows[0]);
  }

  /** Up to `limit` clusters after `afterName`, by name (byte order, so cursors compare alike everywhere). */
  async page(visible: readonly number[] | null, afterName: string | null, limit: number): Promise<ClusterRow[]> {
    const { rows } = await this.pool.query<Row>(
      `${SELECT} AND ($2::text IS NULL OR c.name COLLATE "C" > $2::text COLLATE "C")
       ORDER BY c.name COLLATE "C", c.id LIMIT $3`,
      [visible, afterName, limit],
    );
    return rows.map(toRow);
  }
}
