import type pg from 'pg';
import type { ObjectRef, PortRange } from '../query-service.js';

/** Connection changes only: `exposed`/`unexposed` flips are about outside addresses as a whole. */
const CONNECTION_CHANGES = ['added', 'removed', 'widened', 'narrowed', 'changed'];

export interface ExposureEventRow {
  id: string;
  snapshotId: number;
  takenAt: Date;
  change: 'added' | 'removed' | 'widened' | 'narrowed' | 'changed';
  src: string;
  dst: string;
  before: PortRange[];
  after: PortRange[];
  gained: PortRange[];
  lost: PortRange[];
  causes: ObjectRef[];
}

interface Row {
  id: string;
  snapshot_id: number;
  taken_at: Date;
  change: ExposureEventRow['change'];
  src: string;
  dst: string;
  before: PortRange[] | null;
  after: PortRange[] | null;
  gained: PortRange[] | null;
  lost: PortRange[] | null;
  causes: ObjectRef[] | null;
}

function toRow(r: Row): ExposureEventRow {
  return {
    id: r.id,
    snapshotId: r.snapshot_id,
    takenAt: r.taken_at,
    change: r.change,
    src: r.src,
    dst: r.dst,
    before: r.before ?? [],
    after: r.after ?? [],
    gained: r.gained ?? [],
    lost: r.lost ?? [],
    causes: r.causes ?? [],
  };
}

const SELECT = `SELECT e.id::text AS id, e.snapshot_id, s.taken_at, e.change, e.src, e.dst,
                       e.before, e.after, e.gained, e.lost, e.causes
                  FROM exposure_event e JOIN snapshot s ON s.id = e.snapshot_id`;
const ORDER = 'ORDER BY e.snapshot_id, e.src COLLATE "C", e.dst COLLATE "C", e.id';

/** Changes in who can reach whom, each naming its snapshot and the objects that caused it. */
export class ExposureEventReads {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * For each pair, the latest snapshot at or before `atId` whose change gave it access
   * (`added`: from nothing to something), i.e. the start of its current unbroken run, and when it was taken.
   */
  async lastAdded(
    clusterId: number,
    pairs: readonly { src: string; dst: string }[],
    atId: number,
  ): Promise<Map<string, { snapshotId: number; takenAt: Date }>> {
    if (pairs.length === 0) return new Map();
    const { rows } = await this.pool.query<{ src: string; dst: string; snapshot_id: number; taken_at: Date }>(
      `SELECT a.src, a.dst, a.snapshot_id, s.taken_at
         FROM (SELECT e.src, e.dst, max(e.snapshot_id) AS snapshot_id
                 FROM exposure_event e
                 JOIN unnest($2::text[], $3::text[]) AS p(src, dst) ON e.src = p.src AND e.dst = p.dst
                WHERE e.cluster_id = $1 AND e.change = 'added' AND e.snapshot_id <= $4
                GROUP BY e.src, e.dst) a
         JOIN snapshot s ON s.id = a.snapshot_id`,
      [clusterId, pairs.map((p) => p.src), pairs.map((p) => p.dst), atId],
    );
    return new Map(rows.map((r) => [pairKey(r.src, r.dst), { snapshotId: r.snapshot_id, takenAt: r.taken_at }]));
  }

  /** Connection changes after snapshot `afterId` up to `toId` whose `side` is one of `peers`. */
  async forPeers(
    clusterId: number,
    side: 'src' | 'dst',
    peers: readonly string[],
    afterId: number,
    toId: number,
  ): Promise<ExposureEventRow[]> {
    if (peers.length === 0) return [];
    const { rows } = await this.pool.query<Row>(
      `${SELECT}
        WHERE e.cluster_id = $1 AND e.snapshot_id > $2 AND e.snapshot_id <= $3
          AND e.change = ANY($4::text[]) AND e.${side === 'src' ? 'src' : 'dst'} = ANY($5::text[])
        ${ORDER}`,
      [clusterId, afterId, toId, CONNECTION_CHANGES, peers],
    );
    return rows.map(toRow);
  }

  /**
   * Connection changes after snapshot `afterId` up to `toId`; `namespace` keeps pairs with a
   * side in it, `workload` pairs with that workload on a side.
   */
  async between(
    clusterId: number,
    afterId: number,
    toId: number,
    filter: { namespace: string | null; workload: string | null },
  ): Promise<ExposureEventRow[]> {
    const { rows } = await this.pool.query<Row>(
      `${SELECT}
        WHERE e.cluster_id = $1 AND e.snapshot_id > $2 AND e.snapshot_id <= $3 AND e.change = ANY($4::text[])
          AND ($5::text IS NULL OR starts_with(e.src, $5::text || '/') OR starts_with(e.dst, $5::text || '/'))
          AND ($6::text IS NULL OR e.src = $6::text OR e.dst = $6::text)
        ${ORDER}`,
      [clusterId, afterId, toId, CONNECTION_CHANGES, filter.namespace, filter.workload],
    );
    return rows.map(toRow);
  }
}

export function pairKey(src: string, dst: string): string {
  return `${src}\n${dst}`;
}
