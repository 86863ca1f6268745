import type { AlertChange, ReceiverKind, RulePorts, Severity } from '../arguments/alert-rule.js';
import type { Queryable } from './db/pool.js';

/** A receiver as stored: its kind, what may be shown of it, and its sealed URL and key. */
export interface ReceiverRow {
  id: number;
  kind: ReceiverKind;
  shown: string;
  sealed: Buffer;
}

/** One row of `alert_rule`, with its receivers. */
export interface AlertRuleRow {
  id: number;
  name: string;
  /** null: every cluster. */
  clusterId: number | null;
  target: string;
  changes: AlertChange[];
  source: string;
  ports: RulePorts[] | null;
  severity: Severity;
  createdAt: Date;
  receivers: ReceiverRow[];
}

export interface NewAlertRule {
  name: string;
  clusterId: number | null;
  target: string;
  changes: AlertChange[];
  source: string;
  ports: RulePorts[] | null;
  severity: Severity;
  receivers: { kind: ReceiverKind; shown: string; sealed: Buffer }[];
}

interface RuleColumns {
  id: number;
  name: string;
  cluster_id: number | null;
  target: string;
  changes: string[];
  source: string;
  ports: RulePorts[] | null;
  severity: string;
  created_at: Date;
  receivers: { id: number; kind: string; shown: string; sealed: string }[] | null;
}

const SELECT = `SELECT r.id, r.name, r.cluster_id, r.target, r.changes, r.source, r.ports, r.severity, r.created_at,
         (SELECT json_agg(json_build_object('id', v.id, 'kind', v.kind, 'shown', v.shown,
                                            'sealed', encode(v.sealed, 'base64')) ORDER BY v.id)
            FROM alert_receiver v WHERE v.rule_id = r.id) AS receivers
    FROM alert_rule r`;

function toRow(r: RuleColumns): AlertRuleRow {
  return {
    id: r.id,
    name: r.name,
    clusterId: r.cluster_id,
    target: r.target,
    changes: r.changes as AlertChange[],
    source: r.source,
    ports: r.ports,
    severity: r.severity as Severity,
    createdAt: r.created_at,
    receivers: (r.receivers ?? []).map((v) => ({
      id: v.id,
      kind: v.kind as ReceiverKind,
      shown: v.shown,
      sealed: Buffer.from(v.sealed, 'base64'),
    })),
  };
}

const UNIQUE_VIOLATION = '23505';

export class AlertRuleExistsError extends Error {}

/** Alert rules and their receivers; a rule and its receivers are written and removed together. */
export class AlertRulesRepository {
  constructor(private readonly db: Queryable) {}

  /** One statement, so a rule never exists without its receivers. */
  async create(rule: NewAlertRule): Promise<AlertRuleRow> {
    try {
      const { rows } = await this.db.query<{ id: number }>(
        `WITH r AS (
           INSERT INTO alert_rule (name, cluster_id, target, changes, source, ports, severity)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id),
         v AS (
           INSERT INTO alert_receiver (rule_id, kind, shown, sealed)
           SELECT r.id, x.kind, x.shown, decode(x.sealed, 'base64')
             FROM r, unnest($8::text[], $9::text[], $10::text[]) AS x(kind, shown, sealed))
         SELECT id FROM r`,
        [
          rule.name,
          rule.clusterId,
          rule.target,
          rule.changes,
          rule.source,
          rule.ports === null ? null : JSON.stringify(rule.ports),
          rule.severity,
          rule.receivers.map((v) => v.kind),
          rule.receivers.map((v) => v.shown),
          rule.receivers.map((v) => v.sealed.toString('base64')),
        ],
      );
      return (await this.findById(rows[0]!.id))!;
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION)
        throw new AlertRuleExistsError(`an alert rule named ${rule.name} already exists`);
      throw e;
    }
  }

  /** Rules of the given clusters (null: all rules, those for every cluster included), by name. */
  async list(clusterIds: readonly number[] | null): Promise<AlertRuleRow[]> {
    const { rows } = await this.db.query<RuleColumns>(
      `${SELECT} WHERE $1::int[] IS NULL OR r.cluster_id = ANY($1::int[]) ORDER BY r.name`,
      [clusterIds],
    );
    return rows.map(toRow);
  }

  async findByName(name: string): Promise<AlertRuleRow | undefined> {
    const { rows } = await this.db.query<RuleColumns>(`${SELECT} WHERE r.name = $1`, [name]);
    return rows[0] && toRow(rows[0]);
  }

  async findById(id: number): Promise<AlertRuleRow | undefined> {
    const { rows } = await this.db.query<RuleColumns>(`${SELECT} WHERE r.id = $1`, [id]);
    return rows[0] && toRow(rows[0]);
  }

  /** The rules that apply to a cluster: its own and those for every cluster. */
  async forCluster(clusterId: number): Promise<AlertRuleRow[]> {
    const { rows } = await this.db.query<RuleColumns>(
      `${SELECT} WHERE r.cluster_id = $1 OR r.cluster_id IS NULL ORDER BY r.id`,
      [clusterId],
    );
    return rows.map(toRow);
  }

  /** Rules that listen for any of `changes`, with the clusters they apply to. */
  async listening(changes: readonly string[]): Promise<AlertRuleRow[]> {
    const { rows } = await this.db.query<RuleColumns>(`${SELECT} WHERE r.changes && $1::text[] ORDER BY r.id`, [
      changes,
    ]);
    return rows.map(toRow);
  }

  async remove(id: number): Promise<void> {
    await this.db.query('DELETE FROM alert_rule WHERE id = $1', [id]);
  }

  async receiver(id: number): Promise<ReceiverRow | undefined> {
    const { rows } = await this.db.query<{ id: number; kind: string; shown: string; sealed: Buffer }>(
      'SELECT id, kind, shown, sealed FROM alert_receiver WHERE id = $1',
      [id],
    );
    return rows[0] && { ...rows[0], kind: rows[0].kind as ReceiverKind };
  }
}
