import type pg from 'pg';

/** One stored version of an object or of a part of the engine's result. */
export interface VersionRow {
  kind: string;
  key: string;
  hash: string;
  body: unknown;
}

/** Rows valid at snapshot `$2`: valid_from <= s < valid_to (null: still valid). */
const VALID_AT = 'cluster_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)';

/** Versioned history, read at one snapshot. */
export class VersionReads {
  constructor(private readonly pool: pg.Pool) {}

  /** The parts of the engine's result (nodes, peer sets, workloads' classes) valid at a snapshot. */
  async reachPartsAt(clusterId: number, snapshotId: number): Promise<VersionRow[]> {
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT kind, key, hash, body FROM reach_version WHERE ${VALID_AT}`,
      [clusterId, snapshotId],
    );
    return rows;
  }

  /** Object versions of the given kinds valid at a snapshot. */
  async objectsAt(clusterId: number, snapshotId: number, kinds: readonly string[]): Promise<VersionRow[]> {
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT kind, key, hash, body FROM object_version WHERE ${VALID_AT} AND kind = ANY($3::text[])`,
      [clusterId, snapshotId, kinds],
    );
    return rows;
  }
}
