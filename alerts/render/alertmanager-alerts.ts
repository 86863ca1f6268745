import type { Alert } from '../alert.js';
import { itemSentence } from '../words.js';

/** One posted alert of Alertmanager's v2 API (`POST /api/v2/alerts`). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

/** A change is an event, not a condition that lasts: Alertmanager resolves it after this. */
const EVENT_LASTS_MS = 60 * 60_000;

const ALERT_NAMES = {
  exposure: 'ReachlogExposureChanged',
  overdue: 'ReachlogSnapshotOverdue',
  failing: 'ReachlogSnapshotFailing',
  test: 'ReachlogTest',
} as const;

/**
 * One Alertmanager alert per change listed (labels cluster, namespace, workload, change,
 * severity), so its grouping and inhibition work on them; the count beyond the list is in
 * each one's annotations. Health alerts are one alert for the cluster.
 */
export function alertmanagerAlerts(alert: Alert, base: string, now: Date): AlertmanagerAlert[] {
  const startsAt = alert.snapshot?.takenAt ?? now.toISOString();
  const endsAt = new Date(now.getTime() + EVENT_LASTS_MS).toISOString();
  const common = {
    alertname: ALERT_NAMES[alert.kind],
    cluster: alert.cluster,
    severity: alert.rule.severity,
    rule: alert.rule.name,
  };
  const shared = {
    ...(alert.snapshot ? { snapshot: `#${alert.snapshot.id} at ${alert.snapshot.takenAt}` } : {}),
    ...(alert.total > alert.items.length
      ? { more: `${alert.total - alert.items.length} more changes not listed` }
      : {}),
    ...(alert.changesPath ? { changes: `${base}${alert.changesPath}` } : {}),
    ...(alert.causes.length ? { cause: alert.causes.map((c) => `${c.kind} ${c.key} ${c.change}`).join(', ') } : {}),
  };
  if (alert.items.length === 0) {
    return [
      {
        labels: { ...common, change: alert.kind },
        annotations: { summary: alert.summary, ...(alert.detail ? { description: alert.detail } : {}), ...shared },
        startsAt,
        endsAt,
      },
    ];
  }
  return alert.items.map((i) => ({
    labels: {
      ...common,
      change: i.change,
      ...(i.namespace ? { namespace: i.namespace } : {}),
      workload: i.target,
    },
    annotations: { summary: itemSentence(i), ...shared },
    startsAt,
    endsAt,
    ...(i.explainPath ? { generatorURL: `${base}${i.explainPath}` } : {}),
  }));
}
