import type { Pool } from './db/pool.js';
import { inTransaction } from './db/transaction.js';
import { SNAPSHOT_COLUMNS, toSnapshotRow, type SnapshotColumns, type SnapshotRow } from './snapshots.repository.js';

export type ClusterSource =
  { kind: 'kube'; context?: string; inCluster?: boolean } | { kind: 'manifests'; dir: string };

/**
 * Who registered a cluster: `api` (a token), `operator` (the CLI or the demo on the worker's
 * host); null: registered before this was recorded (migration 0007).
 */
export type RegisteredFrom = 'api' | 'operator' | null;

/** One row of `cluster`: what to read and how often. */
export interface ClusterRow {
  id: number;
  name: string;
  source: ClusterSource;
  everySeconds: number;
  paused: boolean;
  createdAt: Date;
  registeredFrom: RegisteredFrom;
}

/** A cluster with its latest attempt, failed ones included: "could not read it" is an audit fact too. */
export interface ClusterWithLastSnapshot extends ClusterRow {
  lastSnapshot: SnapshotRow | null;
  /** When its last successful (changed or unchanged) snapshot was taken: what `overdue` counts from. */
  lastSuccessAt: Date | null;
}

/** A cluster and when it last succeeded: what the worker's schedule check reads. */
export interface ClusterWithLastSuccess extends ClusterRow {
  lastSuccessAt: Date | null;
}

interface ClusterColumns {
  id: number;
  name: string;
  source_kind: string;
  context: string | null;
  in_cluster: boolean;
  manifests_dir: string | null;
  every_seconds: number;
  paused: boolean;
  created_at: Date;
  registered_from: string | null;
  last?: SnapshotColumns | null;
  last_success_at?: Date | string | null;
}

const COLUMNS =
  'c.id, c.name, c.source_kind, c.context, c.in_cluster, c.manifests_dir, c.every_seconds, c.paused, c.created_at, c.registered_from';

/** The index on (cluster_id, taken_at) answers this with a short backward scan. */
const LAST_SUCCESS = `(SELECT max(s.taken_at) FROM snapshot s WHERE s.cluster_id = c.id AND s.status <> 'failed') AS last_success_at`;

const WITH_LAST = `SELECT ${COLUMNS}, ${LAST_SUCCESS},
         (SELECT row_to_json(s) FROM (SELECT ${SNAPSHOT_COLUMNS} FROM snapshot s WHERE s.cluster_id = c.id
                                       ORDER BY s.taken_at DESC, s.id DESC LIMIT 1) s) AS last
    FROM cluster c
   WHERE c.removed_at IS NULL AND ($1::int[] IS NULL OR c.id = ANY($1::int[]))`;

function toRow(r: ClusterColumns): ClusterRow {
  const source: ClusterSource =
    r.source_kind === 'manifests'
      ? { kind: 'manifests', dir: r.manifests_dir ?? '' }
      : { kind: 'kube', ...(r.context ? { context: r.context } : {}), ...(r.in_cluster ? { inCluster: true } : {}) };
  return {
    id: r.id,
    name: r.name,
    source,
    everySeconds: r.every_seconds,
    paused: r.paused,
    createdAt: r.created_at,
    registeredFrom: r.registered_from === 'api' || r.registered_from === 'operator' ? r.registered_from : null,
  };
}

const dateOrNull = (v: Date | string | null | undefined) => (v === null || v === undefined ? null : new Date(v));

function withLast(r: ClusterColumns): ClusterWithLastSnapshot {
  return {
    ...toRow(r),
    lastSnapshot: r.last ? toSnapshotRow(r.last) : null,
    lastSuccessAt: dateOrNull(r.last_success_at),
  };
}

export class ClusterExistsError extends Error {}

/** Registered clusters. Removed ones are hidden but keep their history unless purged. */
export class ClustersRepository {
  constructor(private readonly pool: Pool) {}

  /** `registeredFrom`: `api` for a token's registration; code on the worker's host (CLI, demo) is the operator. */
  async add(
    name: string,
    source: ClusterSource,
    everySeconds: number,
    registeredFrom: Exclude<RegisteredFrom, null> = 'operator',
  ): Promise<ClusterRow> {
    if (await this.findByName(name)) throw new ClusterExistsError(`cluster ${name} is already registered`);
    const { rows } = await this.pool.query<ClusterColumns>(
      `INSERT INTO cluster AS c (name, every_seconds, source_kind, context, in_cluster, manifests_dir, registered_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        name,
        everySeconds,
        source.kind,
        source.kind === 'kube' ? (source.context ?? null) : null,
        source.kind === 'kube' && source.inCluster === true,
        source.kind === 'manifests' ? source.dir : null,
        registeredFrom,
      ],
    );
    return toRow(rows[0]!);
  }

  async list(): Promise<ClusterRow[]> {
    const { rows } = await this.pool.query<ClusterColumns>(
      `SELECT ${COLUMNS} FROM cluster c WHERE c.removed_at IS NULL ORDER BY c.name`,
    );
    return rows.map(toRow);
  }

  /** Every registered cluster with its last success, by name. */
  async listWithLastSuccess(): Promise<ClusterWithLastSuccess[]> {
    const { rows } = await this.pool.query<ClusterColumns>(
      `SELECT ${COLUMNS}, ${LAST_SUCCESS} FROM cluster c WHERE c.removed_at IS NULL ORDER BY c.name`,
    );
    return rows.map((r) => ({ ...toRow(r), lastSuccessAt: dateOrNull(r.last_success_at) }));
  }

  async findByName(name: string): Promise<ClusterRow | undefined> {
    const { rows } = await this.pool.query<ClusterColumns>(
      `SELECT ${COLUMNS} FROM cluster c WHERE c.name = $1 AND c.removed_at IS NULL ORDER BY c.id LIMIT 1`,
      [name],
    );
    return rows[0] && toRow(rows[0]);
  }

  async findById(id: number): Promise<ClusterRow | undefined> {
    const { rows } = await this.pool.query<ClusterColumns>(
      `SELECT ${COLUMNS} FROM cluster c WHERE c.id = $1 AND c.removed_at IS NULL`,
      [id],
    );
    return rows[0] && toRow(rows[0]);
  }

  /** `visible`: the cluster ids the caller may see, null for all. */
  async byName(name: string, visible: readonly number[] | null): Promise<ClusterWithLastSnapshot | undefined> {
    const { rows } = await this.pool.query<ClusterColumns>(`${WITH_LAST} AND c.name = $2 ORDER BY c.id DESC LIMIT 1`, [
      visible,
      name,
    ]);
    return rows[0] && withLast(rows[0]);
  }

  /** Up to `limit` clusters after `afterName`, by name (byte order, so cursors compare alike everywhere). */
  async page(
    visible: readonly number[] | null,
    afterName: string | null,
    limit: number,
  ): Promise<ClusterWithLastSnapshot[]> {
    const { rows } = await this.pool.query<ClusterColumns>(
      `${WITH_LAST} AND ($2::text IS NULL OR c.name COLLATE "C" > $2::text COLLATE "C")
       ORDER BY c.name COLLATE "C", c.id LIMIT $3`,
      [visible, afterName, limit],
    );
    return rows.map(withLast);
  }

  /** Its operator vouches for its source (`reachlog cluster confirm-source`). */
  async confirmRegisteredByOperator(id: number): Promise<void> {
    await this.pool.query(`UPDATE cluster SET registered_from = 'operator' WHERE id = $1`, [id]);
  }

  async setPaused(id: number, paused: boolean): Promise<void> {
    await this.pool.query('UPDATE cluster SET paused = $2 WHERE id = $1', [id, paused]);
  }

  /** Hides the cluster; with `purge`, deletes it and all its history. */
  async remove(id: number, purge: boolean): Promise<void> {
    if (!purge) {
      await this.pool.query('UPDATE cluster SET removed_at = $2 WHERE id = $1', [id, new Date()]);
      return;
    }
    await inTransaction(this.pool, async (client) => {
      for (const table of ['exposure_event', 'object_version', 'reach_version', 'current_pod', 'snapshot']) {
        await client.query(`DELETE FROM ${table} WHERE cluster_id = $1`, [id]);
      }
      await client.query('DELETE FROM cluster WHERE id = $1', [id]);
    });
  }
}
