import { copyRows, type CopyValue } from './db/copy-rows.js';
import type { PoolClient, Queryable } from './db/pool.js';

/** Connection changes; `exposed`/`unexposed` flips are about outside addresses as a whole. */
const CONNECTION_CHANGES = ['added', 'removed', 'widened', 'narrowed', 'changed'] as const;
export type ConnectionChangeKind = (typeof CONNECTION_CHANGES)[number];
export type ExposureChangeKind = ConnectionChangeKind | 'exposed' | 'unexposed';

export interface PortRangeRow {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  ports: [number, number][];
}

/** An object version that caused a change; `hash` null when the change removed it. */
export interface CauseRow {
  kind: string;
  key: string;
  hash: string | null;
}

/** One row of `exposure_event`: a change in who can reach whom, and the objects behind it. */
export interface ExposureEventRow {
  change: ExposureChangeKind;
  src: string;
  dst: string;
  /** Empty for `exposed`/`unexposed` (older rows store null there; reads give empty lists). */
  before: PortRangeRow[];
  after: PortRangeRow[];
  gained: PortRangeRow[];
  lost: PortRangeRow[];
  causes: CauseRow[];
}

/** A stored connection change, as queries read it: with its snapshot and when it was taken. */
export interface StoredConnectionChange extends ExposureEventRow {
  change: ConnectionChangeKind;
  id: string;
  snapshotId: number;
  takenAt: Date;
}

interface EventColumns {
  id: string;
  snapshot_id: number;
  taken_at: Date;
  change: ConnectionChangeKind;
  src: string;
  dst: string;
  before: PortRangeRow[] | null;
  after: PortRangeRow[] | null;
  gained: PortRangeRow[] | null;
  lost: PortRangeRow[] | null;
  causes: CauseRow[] | null;
}

function toStored(r: EventColumns): StoredConnectionChange {
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

export function pairKey(src: string, dst: string): string {
  return `${src}\n${dst}`;
}

/**
 * Bulk write of a snapshot's events, inside its transaction, through COPY as they are produced
 * (parts one after another, each iterated once): returns how many were written.
 */
export async function writeExposureEvents(
  client: PoolClient,
  clusterId: number,
  snapshotId: number,
  parts: readonly Iterable<ExposureEventRow>[],
): Promise<number> {
  let written = 0;
  function* rows(): Generator<CopyValue[]> {
    for (const part of parts) {
      for (const e of part) {
        written++;
        yield [
          clusterId,
          snapshotId,
          e.change,
          e.src,
          e.dst,
          JSON.stringify(e.before),
          JSON.stringify(e.after),
          JSON.stringify(e.gained),
          JSON.stringify(e.lost),
          JSON.stringify(e.causes),
        ];
      }
    }
  }
  await copyRows(
    client,
    'exposure_event',
    ['cluster_id', 'snapshot_id', 'change', 'src', 'dst', 'before', 'after', 'gained', 'lost', 'causes'],
    rows(),
  );
  return written;
}

/** Changes in who can reach whom, each naming its snapshot and the objects that caused it. */
export class ExposureEventsRepository {
  constructor(private readonly db: Queryable) {}

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
    const { rows } = await this.db.query<{ src: string; dst: string; snapshot_id: number; taken_at: Date }>(
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
  ): Promise<StoredConnectionChange[]> {
    if (peers.length === 0) return [];
    const { rows } = await this.db.query<EventColumns>(
      `${SELECT}
        WHERE e.cluster_id = $1 AND e.snapshot_id > $2 AND e.snapshot_id <= $3
          AND e.change = ANY($4::text[]) AND e.${side === 'src' ? 'src' : 'dst'} = ANY($5::text[])
        ${ORDER}`,
      [clusterId, afterId, toId, CONNECTION_CHANGES, peers],
    );
    return rows.map(toStored);
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
  ): Promise<StoredConnectionChange[]> {
    const { rows } = await this.db.query<EventColumns>(
      `${SELECT}
        WHERE e.cluster_id = $1 AND e.snapshot_id > $2 AND e.snapshot_id <= $3 AND e.change = ANY($4::text[])
          AND ($5::text IS NULL OR starts_with(e.src, $5::text || '/') OR starts_with(e.dst, $5::text || '/'))
          AND ($6::text IS NULL OR e.src = $6::text OR e.dst = $6::text)
        ${ORDER}`,
      [clusterId, afterId, toId, CONNECTION_CHANGES, filter.namespace, filter.workload],
    );
    return rows.map(toStored);
  }
}
