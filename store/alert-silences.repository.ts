import type { Queryable } from './db/pool.js';

/** One row of `alert_silence`: a rule, a target, or a target under a rule, muted for a while. */
export interface SilenceRow {
  id: number;
  /** The cluster it is bound to (a cluster-bound token's silences); null: any cluster. */
  clusterId: number | null;
  ruleId: number | null;
  ruleName: string | null;
  /** A workload id; null: everything the rule covers. */
  target: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdBy: string;
  createdAt: Date;
}

export type NewSilence = Omit<SilenceRow, 'id' | 'createdAt' | 'ruleName'>;

interface SilenceColumns {
  id: number;
  cluster_id: number | null;
  rule_id: number | null;
  rule_name: string | null;
  target: string | null;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  created_by: string;
  created_at: Date;
}

const SELECT = `SELECT s.id, s.cluster_id, s.rule_id, r.name AS rule_name, s.target, s.starts_at, s.ends_at,
                       s.reason, s.created_by, s.created_at
                  FROM alert_silence s LEFT JOIN alert_rule r ON r.id = s.rule_id`;

function toRow(r: SilenceColumns): SilenceRow {
  return {
    id: r.id,
    clusterId: r.cluster_id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    target: r.target,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export class AlertSilencesRepository {
  constructor(private readonly db: Queryable) {}

  async create(s: NewSilence): Promise<SilenceRow> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO alert_silence (cluster_id, rule_id, target, starts_at, ends_at, reason, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [s.clusterId, s.ruleId, s.target, s.startsAt, s.endsAt, s.reason, s.createdBy],
    );
    return (await this.findById(rows[0]!.id))!;
  }

  async findById(id: number): Promise<SilenceRow | undefined> {
    const { rows } = await this.db.query<SilenceColumns>(`${SELECT} WHERE s.id = $1`, [id]);
    return rows[0] && toRow(rows[0]);
  }

  /**
   * Silences not yet ended at `now` (with `all`, ended ones too), of the given clusters
   * (null: every silence), latest first.
   */
  async list(clusterIds: readonly number[] | null, now: Date, all = false): Promise<SilenceRow[]> {
    const { rows } = await this.db.query<SilenceColumns>(
      `${SELECT} WHERE ($1::int[] IS NULL OR s.cluster_id = ANY($1::int[])) AND ($3 OR s.ends_at > $2)
        ORDER BY s.id DESC`,
      [clusterIds, now, all],
    );
    return rows.map(toRow);
  }

  /** Silences of a cluster in force at `at`: its own and those bound to no cluster. */
  async activeAt(clusterId: number, at: Date): Promise<SilenceRow[]> {
    const { rows } = await this.db.query<SilenceColumns>(
      `${SELECT} WHERE (s.cluster_id = $1 OR s.cluster_id IS NULL) AND s.starts_at <= $2 AND s.ends_at > $2
        ORDER BY s.id`,
      [clusterId, at],
    );
    return rows.map(toRow);
  }

  /** Ends a silence now (it stays, as a record of what was muted and why). */
  async end(id: number, now: Date): Promise<void> {
    await this.db.query('UPDATE alert_silence SET ends_at = LEAST(ends_at, $2) WHERE id = $1', [id, now]);
  }
}
