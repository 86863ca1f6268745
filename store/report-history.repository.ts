import type { Queryable } from './db/pool.js';

/** A snapshot as a report's evidence names it. */
export interface PeriodSnapshot {
  id: number;
  takenAt: Date;
  status: 'changed' | 'unchanged' | 'failed';
  contentHash: string | null;
  problems: string[];
  error: string | null;
}

/**
 * A version of an object or of a part of the engine's result, with the snapshots it held
 * between: from `validFrom` until `validTo` (null: still current).
 */
export interface VersionSpan {
  id: string;
  kind: string;
  key: string;
  hash: string;
  validFrom: number;
  validTo: number | null;
  body?: unknown;
}

/** A pod class's isolation, read without its rules: ingress/egress null means not isolated. */
export interface NodeIsolationSpan {
  key: string;
  validFrom: number;
  validTo: number | null;
  ingressIsolated: boolean;
  egressIsolated: boolean;
}

/** Versions in force at some point of [fromId, toId]: begun by toId, not ended by fromId. */
const OVERLAPS = 'cluster_id = $1 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $2)';

/**
 * What reports read of a period of history: its snapshots, and every version in force during
 * it, in one query each instead of one read per snapshot.
 */
export class ReportHistoryRepository {
  constructor(private readonly db: Queryable) {}

  /** Every snapshot (failed attempts included) taken in [from, to], and snapshot `alsoId`; oldest first. */
  async snapshotsBetween(clusterId: number, from: Date, to: Date, alsoId: number | null): Promise<PeriodSnapshot[]> {
    const { rows } = await this.db.query<{
      id: number;
      taken_at: Date;
      status: PeriodSnapshot['status'];
      content_hash: string | null;
      problems: string[] | null;
      error: string | null;
    }>(
      `SELECT id, taken_at, status, content_hash, problems, error FROM snapshot
        WHERE cluster_id = $1 AND ((taken_at >= $2 AND taken_at <= $3) OR id = $4) ORDER BY taken_at, id`,
      [clusterId, from, to, alsoId],
    );
    return rows.map((r) => ({
      id: r.id,
      takenAt: r.taken_at,
      status: r.status,
      contentHash: r.content_hash,
      problems: r.problems ?? [],
      error: r.error,
    }));
  }

  /** Object versions of `kinds` in force during snapshots [fromId, toId]; bodies only when asked. */
  async objectSpans(
    clusterId: number,
    fromId: number,
    toId: number,
    kinds: readonly string[],
    withBodies: boolean,
  ): Promise<VersionSpan[]> {
    const { rows } = await this.db.query<{
      id: string;
      kind: string;
      key: string;
      hash: string;
      valid_from: number;
      valid_to: number | null;
      body?: unknown;
    }>(
      `SELECT id::text AS id, kind, key, hash, valid_from, valid_to${withBodies ? ', body' : ''}
         FROM object_version WHERE ${OVERLAPS} AND kind = ANY($4::text[])
        ORDER BY kind, key COLLATE "C", valid_from`,
      [clusterId, fromId, toId, kinds],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      key: r.key,
      hash: r.hash,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      ...(withBodies ? { body: r.body } : {}),
    }));
  }

  /** Pod classes' isolation and workloads' classes in force during snapshots [fromId, toId]. */
  async isolationSpans(
    clusterId: number,
    fromId: number,
    toId: number,
  ): Promise<{ nodes: NodeIsolationSpan[]; workloads: (VersionSpan & { body: string[] })[] }> {
    const nodes = await this.db.query<{
      key: string;
      valid_from: number;
      valid_to: number | null;
      ingress: boolean;
      egress: boolean;
    }>(
      `SELECT key, valid_from, valid_to,
              jsonb_typeof(body->'ingress') = 'array' AS ingress, jsonb_typeof(body->'egress') = 'array' AS egress
         FROM reach_version WHERE ${OVERLAPS} AND kind = 'node'`,
      [clusterId, fromId, toId],
    );
    const workloads = await this.db.query<{
      id: string;
      key: string;
      hash: string;
      valid_from: number;
      valid_to: number | null;
      body: string[];
    }>(
      `SELECT id::text AS id, key, hash, valid_from, valid_to, body
         FROM reach_version WHERE ${OVERLAPS} AND kind = 'workload' ORDER BY key COLLATE "C", valid_from`,
      [clusterId, fromId, toId],
    );
    return {
      nodes: nodes.rows.map((r) => ({
        key: r.key,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        ingressIsolated: r.ingress,
        egressIsolated: r.egress,
      })),
      workloads: workloads.rows.map((r) => ({
        id: r.id,
        kind: 'workload',
        key: r.key,
        hash: r.hash,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        body: r.body,
      })),
    };
  }
}
