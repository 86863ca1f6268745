import { copyRows } from './db/copy-rows.js';
import type { PoolClient, Queryable } from './db/pool.js';

/**
 * One row of `object_version` or `reach_version` as the code sees it: a versioned thing (an
 * object, or a part of the engine's result) valid from one snapshot until another.
 */
export interface VersionRow {
  kind: string;
  key: string;
  hash: string;
  /** Absent when read without bodies. */
  body?: unknown;
}

export type VersionTable = 'object_version' | 'reach_version';

/** Rows valid at snapshot `$2`: valid_from <= s < valid_to (null: still valid). */
const VALID_AT = 'cluster_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)';

const itemKey = (kind: string, key: string) => `${kind}\u0000${key}`;

/** What a snapshot changes: new versions for new and changed items, an end for changed and gone ones. */
export interface VersionWrite {
  added: VersionRow[];
  changed: VersionRow[];
  removed: VersionRow[];
}

export function planVersions(current: readonly VersionRow[], items: readonly VersionRow[]): VersionWrite {
  const now = new Map(current.map((c) => [itemKey(c.kind, c.key), c]));
  const seen = new Set<string>();
  const plan: VersionWrite = { added: [], changed: [], removed: [] };
  for (const item of items) {
    const k = itemKey(item.kind, item.key);
    seen.add(k);
    const was = now.get(k);
    if (!was) plan.added.push(item);
    else if (was.hash !== item.hash) plan.changed.push(item);
  }
  for (const [k, c] of now) if (!seen.has(k)) plan.removed.push(c);
  return plan;
}

/** Versioned history: read at one snapshot, written (inside a snapshot's transaction) as plans. */
export class VersionsRepository {
  constructor(private readonly db: Queryable) {}

  /** The parts of the engine's result (nodes, peer sets, workloads' classes) valid at a snapshot. */
  async reachPartsAt(clusterId: number, snapshotId: number): Promise<VersionRow[]> {
    const { rows } = await this.db.query<VersionRow>(
      `SELECT kind, key, hash, body FROM reach_version WHERE ${VALID_AT}`,
      [clusterId, snapshotId],
    );
    return rows;
  }

  /** Object versions of the given kinds valid at a snapshot. */
  async objectsAt(clusterId: number, snapshotId: number, kinds: readonly string[]): Promise<VersionRow[]> {
    const { rows } = await this.db.query<VersionRow>(
      `SELECT kind, key, hash, body FROM object_version WHERE ${VALID_AT} AND kind = ANY($3::text[])`,
      [clusterId, snapshotId, kinds],
    );
    return rows;
  }
}

/** The versions valid now (after the latest snapshot). */
export async function currentVersions(
  client: PoolClient,
  table: VersionTable,
  clusterId: number,
  withBodies = false,
): Promise<VersionRow[]> {
  const columns = withBodies ? 'kind, key, hash, body' : 'kind, key, hash';
  const { rows } = await client.query<VersionRow>(
    `SELECT ${columns} FROM ${table} WHERE cluster_id = $1 AND valid_to IS NULL`,
    [clusterId],
  );
  return rows;
}

/** Applies a plan inside the caller's transaction: closes ended versions, COPYs new ones. */
export async function writeVersions(
  client: PoolClient,
  table: VersionTable,
  clusterId: number,
  snapshotId: number,
  plan: VersionWrite,
): Promise<void> {
  const ended = [...plan.changed, ...plan.removed];
  if (ended.length > 0) {
    await client.query(
      `UPDATE ${table} v SET valid_to = $2
         FROM unnest($3::text[], $4::text[]) AS e(kind, key)
        WHERE v.cluster_id = $1 AND v.valid_to IS NULL AND v.kind = e.kind AND v.key = e.key`,
      [clusterId, snapshotId, ended.map((e) => e.kind), ended.map((e) => e.key)],
    );
  }
  const fresh = [...plan.added, ...plan.changed];
  if (fresh.length > 0) {
    await copyRows(
      client,
      table,
      ['cluster_id', 'kind', 'key', 'hash', 'body', 'valid_from'],
      fresh.map((i) => [clusterId, i.kind, i.key, i.hash, JSON.stringify(i.body), snapshotId]),
    );
  }
}
