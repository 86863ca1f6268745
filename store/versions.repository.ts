import type { PoolClient } from 'pg';
import { copyRows } from './db/copy-rows.js';

/** A versioned thing: one row per version, valid from one snapshot until another. */
export interface VersionedItem {
  kind: string;
  key: string;
  hash: string;
  body: unknown;
}

export type VersionTable = 'object_version' | 'reach_version';

export interface CurrentVersion {
  kind: string;
  key: string;
  hash: string;
  body?: unknown;
}

const itemKey = (kind: string, key: string) => `${kind}\u0000${key}`;

/** The versions valid now (after the latest snapshot). */
export async function currentVersions(
  client: PoolClient,
  table: VersionTable,
  clusterId: number,
  withBodies = false,
): Promise<CurrentVersion[]> {
  const columns = withBodies ? 'kind, key, hash, body' : 'kind, key, hash';
  const { rows } = await client.query<CurrentVersion>(
    `SELECT ${columns} FROM ${table} WHERE cluster_id = $1 AND valid_to IS NULL`,
    [clusterId],
  );
  return rows;
}

export interface VersionWrite {
  added: VersionedItem[];
  changed: VersionedItem[];
  removed: CurrentVersion[];
}

/** What a snapshot changes: new versions for new and changed items, an end for changed and gone ones. */
export function planVersions(current: readonly CurrentVersion[], items: readonly VersionedItem[]): VersionWrite {
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

/** The versions valid at a snapshot: valid_from <= s < valid_to. */
export async function versionsAt(
  client: PoolClient,
  table: VersionTable,
  clusterId: number,
  snapshotId: number,
  kinds?: readonly string[],
): Promise<CurrentVersion[]> {
  const { rows } = await client.query<CurrentVersion>(
    `SELECT kind, key, hash, body FROM ${table}
      WHERE cluster_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
        AND ($3::text[] IS NULL OR kind = ANY($3))`,
    [clusterId, snapshotId, kinds ?? null],
  );
  return rows;
}
