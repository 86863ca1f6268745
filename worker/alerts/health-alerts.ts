import { ALERT_FORMAT, type Alert } from '../../alerts/alert.js';
import { AlertRulesRepository, type AlertRuleRow } from '../../store/alert-rules.repository.js';
import { AlertSilencesRepository } from '../../store/alert-silences.repository.js';
import { writeDeliveries } from '../../store/alert-deliveries.repository.js';
import { clusterHealth, type ClusterHealth } from '../../store/cluster-health.js';
import type { Pool } from '../../store/db/pool.js';
import { inTransaction } from '../../store/db/transaction.js';
import { clusterIsOverdue, overdueFrom } from '../../store/overdue.js';
import { deliveriesOf, silencesFor } from './record-alerts.js';

function healthAlert(rule: AlertRuleRow, kind: 'overdue' | 'failing', c: ClusterHealth, now: Date): Alert {
  const last = c.lastSuccessAt
    ? `the last successful snapshot was taken at ${c.lastSuccessAt.toISOString()}`
    : 'no snapshot has succeeded yet';
  const summary =
    kind === 'overdue'
      ? `${c.name}: snapshots are overdue (due every ${c.everySeconds} s; ${last})`
      : `${c.name}: snapshots are failing (${c.failures} failed attempt${c.failures === 1 ? '' : 's'} since ${c.failingSince?.toISOString()})`;
  const detail =
    kind === 'overdue'
      ? `No successful snapshot since ${overdueFrom(c).toISOString()} (checked at ${now.toISOString()}): ` +
        'the audit trail has a gap. Is the worker running, and can it read the cluster?'
      : `The latest attempt failed: ${c.lastError ?? 'no reason recorded'}. ${last[0]!.toUpperCase()}${last.slice(1)}.`;
  return {
    format: ALERT_FORMAT,
    kind,
    rule: { name: rule.name, severity: rule.severity },
    cluster: c.name,
    snapshot: null,
    summary,
    total: 0,
    counts: {},
    items: [],
    causes: [],
    detail,
    changesPath: null,
  };
}

/**
 * Writes overdue and failing alerts for rules that ask for them, once per episode: an overdue
 * alert is keyed by the last success it counts from, a failing one by the first failure after
 * it. Run by the sweep; returns the new pending deliveries' ids.
 */
export async function recordHealthAlerts(pool: Pool, now: Date = new Date()): Promise<string[]> {
  const rules = await new AlertRulesRepository(pool).listening(['overdue', 'failing']);
  if (rules.length === 0) return [];
  const health = await clusterHealth(pool);
  return inTransaction(pool, async (client) => {
    const silences = new AlertSilencesRepository(client);
    const ids: string[] = [];
    for (const c of health) {
      const applying = rules.filter((r) => r.clusterId === null || r.clusterId === c.id);
      if (applying.length === 0) continue;
      const active = await silences.activeAt(c.id, now);
      for (const rule of applying) {
        const ruleSilence = silencesFor(rule, active).find((s) => s.target === null);
        const silencedBy = ruleSilence?.id ?? null;
        if (rule.changes.includes('overdue') && clusterIsOverdue(c, now)) {
          const cause = `overdue:${c.lastSuccessId ?? `registered-${c.createdAt.getTime()}`}`;
          const alert = healthAlert(rule, 'overdue', c, now);
          ids.push(...(await writeDeliveries(client, deliveriesOf(rule, c.id, null, cause, { alert, silencedBy }))));
        }
        if (rule.changes.includes('failing') && c.failingSinceId !== null) {
          const cause = `failing:${c.failingSinceId}`;
          const alert = healthAlert(rule, 'failing', c, now);
          ids.push(
            ...(await writeDeliveries(
              client,
              deliveriesOf(rule, c.id, c.failingSinceId, cause, { alert, silencedBy }),
            )),
          );
        }
      }
    }
    return ids;
  });
}
