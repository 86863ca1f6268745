import type { AlertChange, RulePorts, Severity } from '../arguments/alert-rule.js';

/**
 * One alert: what a rule saw in one snapshot (or in a cluster's health), as every receiver
 * renders it and as the generic webhook sends it. Versioned: a receiver checks `format`. The
 * OpenAPI document's `AlertWebhookPayload` describes the same shape.
 */
export const ALERT_FORMAT = 'reachlog.alert/v1';

/** Changes an alert lists in full; beyond them it counts ("and 37 more") and links the API. */
export const MAX_ALERT_ITEMS = 50;

export type AlertKind = 'exposure' | 'overdue' | 'failing' | 'test';

/** One change a rule matched. */
export interface AlertItem {
  change: Exclude<AlertChange, 'overdue' | 'failing'>;
  /** The workload whose access changed (`db/postgres[StatefulSet]`), an outside group, or the deleted policy. */
  target: string;
  namespace: string | null;
  /** Who gained (or lost) access: a workload id, or outside addresses as people read them. */
  peer: string | null;
  /** The ports gained, or lost for `removed`/`narrowed`. */
  ports: RulePorts[];
  /** The API path that explains the pair at this snapshot (no host: receivers prefix the public URL). */
  explainPath: string | null;
}

/** An object changed in the snapshot that bears on the changes. */
export interface AlertCause {
  kind: string;
  key: string;
  change: 'added' | 'changed' | 'deleted';
}

export interface Alert {
  format: typeof ALERT_FORMAT;
  kind: AlertKind;
  rule: { name: string; severity: Severity };
  cluster: string;
  snapshot: { id: number; takenAt: string } | null;
  /** One line a person reads first: "db/postgres[StatefulSet] is newly reachable from 0.0.0.0/0 on TCP 5432". */
  summary: string;
  /** Changes matched in all; `items` holds the first MAX_ALERT_ITEMS. */
  total: number;
  counts: Partial<Record<AlertItem['change'], number>>;
  items: AlertItem[];
  causes: AlertCause[];
  /** For overdue and failing: the last success and the error, in words. */
  detail: string | null;
  /** The API path listing every change of the snapshot. */
  changesPath: string | null;
}
