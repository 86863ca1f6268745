import type { Alert } from '../alerts/alert.js';
import type { ReceiverKind } from '../arguments/alert-rule.js';
import type { PoolClient, Queryable } from './db/pool.js';

export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'silenced';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sent', 'failed', 'silenced'];

/** One row of the outbox `alert_delivery`. */
export interface DeliveryRow {
  id: string;
  idempotencyKey: string;
  ruleId: number | null;
  receiverId: number | null;
  clusterId: number;
  snapshotId: number | null;
  ruleName: string;
  receiverKind: ReceiverKind;
  status: DeliveryStatus;
  silenceId: number | null;
  alert: Alert;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface NewDelivery {
  /** Rule, cause and receiver: the same alert is never written twice. */
  idempotencyKey: string;
  ruleId: number;
  receiverId: number;
  clusterId: number;
  snapshotId: number | null;
  ruleName: string;
  receiverKind: ReceiverKind;
  /** null: to be sent; a silence id: recorded as silenced, not sent. */
  silenceId: number | null;
  alert: Alert;
}

interface DeliveryColumns {
  id: string;
  idempotency_key: string;
  rule_id: number | null;
  receiver_id: number | null;
  cluster_id: number;
  snapshot_id: number | null;
  rule_name: string;
  receiver_kind: string;
  status: string;
  silence_id: number | null;
  alert: Alert;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `id::text AS id, idempotency_key, rule_id, receiver_id, cluster_id, snapshot_id, rule_name, receiver_kind,
                 status, silence_id, alert, attempts, last_error, created_at, finished_at`;

function toRow(r: DeliveryColumns): DeliveryRow {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    ruleId: r.rule_id,
    receiverId: r.receiver_id,
    clusterId: r.cluster_id,
    snapshotId: r.snapshot_id,
    ruleName: r.rule_name,
    receiverKind: r.receiver_kind as ReceiverKind,
    status: r.status as DeliveryStatus,
    silenceId: r.silence_id,
    alert: r.alert,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/**
 * Writes deliveries (inside the caller's transaction: the snapshot's, for the outbox). A key
 * already written is skipped, so a retried job adds nothing. Returns the ids of new pending rows.
 */
export async function writeDeliveries(db: Queryable, rows: readonly NewDelivery[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const { rows: inserted } = await db.query<{ id: string }>(
    `INSERT INTO alert_delivery (idempotency_key, rule_id, receiver_id, cluster_id, snapshot_id, rule_name,
                                 receiver_kind, status, silence_id, alert, finished_at)
     SELECT x.key, x.rule_id, x.receiver_id, x.cluster_id, x.snapshot_id, x.rule_name, x.receiver_kind,
            CASE WHEN x.silence_id IS NULL THEN 'pending' ELSE 'silenced' END, x.silence_id, x.alert::jsonb,
            CASE WHEN x.silence_id IS NULL THEN NULL ELSE now() END
       FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::int[], $9::text[])
            AS x(key, rule_id, receiver_id, cluster_id, snapshot_id, rule_name, receiver_kind, silence_id, alert)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id::text AS id, status`,
    [
      rows.map((r) => r.idempotencyKey),
      rows.map((r) => r.ruleId),
      rows.map((r) => r.receiverId),
      rows.map((r) => r.clusterId),
      rows.map((r) => r.snapshotId),
      rows.map((r) => r.ruleName),
      rows.map((r) => r.receiverKind),
      rows.map((r) => r.silenceId),
      rows.map((r) => JSON.stringify(r.alert)),
    ],
  );
  return (inserted as unknown as { id: string; status: string }[])
    .filter((r) => r.status === 'pending')
    .map((r) => r.id);
}

/** The outbox, read and settled by the sender; and what `alert show` and the API list. */
export class AlertDeliveriesRepository {
  constructor(private readonly db: Queryable) {}

  /** Pending deliveries, oldest first: the sweep hands them to the queue again after a crash. */
  async pendingIds(limit = 1000): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id::text AS id FROM alert_delivery WHERE status = 'pending' ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** A rule's latest deliveries, latest first. */
  async forRule(ruleId: number, limit: number): Promise<DeliveryRow[]> {
    const { rows } = await this.db.query<DeliveryColumns>(
      `SELECT ${COLUMNS} FROM alert_delivery WHERE rule_id = $1 ORDER BY id DESC LIMIT $2`,
      [ruleId, limit],
    );
    return rows.map(toRow);
  }

  /** Deliveries of the given clusters (null: all), optionally of one status, latest first. */
  async list(
    clusterIds: readonly number[] | null,
    status: DeliveryStatus | null,
    limit: number,
  ): Promise<DeliveryRow[]> {
    const { rows } = await this.db.query<DeliveryColumns>(
      `SELECT ${COLUMNS} FROM alert_delivery
        WHERE ($1::int[] IS NULL OR cluster_id = ANY($1::int[])) AND ($2::text IS NULL OR status = $2)
        ORDER BY id DESC LIMIT $3`,
      [clusterIds, status, limit],
    );
    return rows.map(toRow);
  }

  /** How many deliveries there are by receiver kind and status: what a metric of outcomes reads. */
  async outcomes(): Promise<{ receiverKind: ReceiverKind; status: DeliveryStatus; count: number }[]> {
    const { rows } = await this.db.query<{ receiver_kind: string; status: string; n: string }>(
      'SELECT receiver_kind, status, count(*) AS n FROM alert_delivery GROUP BY 1, 2 ORDER BY 1, 2',
    );
    return rows.map((r) => ({
      receiverKind: r.receiver_kind as ReceiverKind,
      status: r.status as DeliveryStatus,
      count: Number(r.n),
    }));
  }
}

/**
 * The sender's hold on one delivery, on the client of its transaction: the row stays locked
 * while it is sent, so two workers never send it at once, and a worker that dies mid-send
 * leaves it pending (its transaction rolls back). Undefined: not pending, or held by another.
 */
export const deliveryClaims = {
  async claim(client: PoolClient, id: string): Promise<DeliveryRow | undefined> {
    const { rows } = await client.query<DeliveryColumns>(
      `SELECT ${COLUMNS} FROM alert_delivery WHERE id = $1 AND status = 'pending' FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return rows[0] && toRow(rows[0]);
  },

  async settle(
    client: PoolClient,
    id: string,
    outcome: { status: DeliveryStatus; error: string | null },
  ): Promise<void> {
    await client.query(
      `UPDATE alert_delivery
          SET status = $2, attempts = attempts + 1, last_error = $3,
              finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END
        WHERE id = $1`,
      [id, outcome.status, outcome.error],
    );
  },
};
