import { matchRule, type ActiveSilence, type SnapshotChanges, type SnapshotIndex } from '../../alerts/match-rule.js';
import type { Cluster, Labels } from '../../engine/index.js';
import { AlertRulesRepository, type AlertRuleRow } from '../../store/alert-rules.repository.js';
import { AlertSilencesRepository, type SilenceRow } from '../../store/alert-silences.repository.js';
import { writeDeliveries, type NewDelivery } from '../../store/alert-deliveries.repository.js';
import type { PoolClient } from '../../store/db/pool.js';
import type { ExposureEventRow } from '../../store/exposure-events.repository.js';
import { isPolicyKind } from '../../store/history/objects.js';
import type { VersionWrite } from '../../store/versions.repository.js';

/** The snapshot's workloads and Services, for rules naming a selector or a Service. */
export function snapshotIndex(cluster: Cluster): SnapshotIndex {
  const labels = new Map<string, Labels[]>(cluster.workloads.map((w) => [w.id, w.pods.map((p) => p.labels)]));
  const services = new Map(cluster.services.map((s) => [`${s.namespace}/${s.name}`, s.selector]));
  return { workloadLabels: (id) => labels.get(id), serviceSelector: (key) => services.get(key) };
}

/** How each object changed in the snapshot, `kind key` → added, changed or deleted. */
export function objectChanges(plan: VersionWrite): Map<string, 'added' | 'changed' | 'deleted'> {
  return new Map([
    ...plan.added.map((o) => [`${o.kind} ${o.key}`, 'added'] as const),
    ...plan.changed.map((o) => [`${o.kind} ${o.key}`, 'changed'] as const),
    ...plan.removed.map((o) => [`${o.kind} ${o.key}`, 'deleted'] as const),
  ]);
}

/** The silences in force for one rule: its own, and those for a target under any rule. */
export function silencesFor(rule: AlertRuleRow, all: readonly SilenceRow[]): ActiveSilence[] {
  return all
    .filter((s) => s.ruleId === rule.id || s.ruleId === null)
    .map((s) => ({ id: s.id, ruleName: s.ruleName, target: s.target }));
}

export function deliveryKey(ruleId: number, cause: string, receiverId: number): string {
  return `rule:${ruleId}/${cause}/receiver:${receiverId}`;
}

/** One delivery per receiver of the rule; silenced ones are written as such (who muted what is an audit fact). */
export function deliveriesOf(
  rule: AlertRuleRow,
  clusterId: number,
  snapshotId: number | null,
  cause: string,
  matched: { alert: NewDelivery['alert']; silencedBy: number | null },
): NewDelivery[] {
  return rule.receivers.map((v) => ({
    idempotencyKey: deliveryKey(rule.id, cause, v.id),
    ruleId: rule.id,
    receiverId: v.id,
    clusterId,
    snapshotId,
    ruleName: rule.name,
    receiverKind: v.kind,
    silenceId: matched.silencedBy,
    alert: matched.alert,
  }));
}

/**
 * The outbox write: inside the snapshot's transaction, one delivery per matching rule and
 * receiver, keyed by rule, snapshot and receiver. Returns the new pending deliveries' ids for
 * the queue (a sweep finds them too, should the process die before it enqueues them).
 */
export async function recordAlerts(
  client: PoolClient,
  input: {
    clusterId: number;
    snapshotId: number;
    takenAt: Date;
    cluster: Cluster;
    events: readonly ExposureEventRow[];
    objects: VersionWrite;
  },
): Promise<string[]> {
  const rules = await new AlertRulesRepository(client).forCluster(input.clusterId);
  if (rules.length === 0) return [];
  const { rows } = await client.query<{ name: string }>('SELECT name FROM cluster WHERE id = $1', [input.clusterId]);
  const silences = await new AlertSilencesRepository(client).activeAt(input.clusterId, input.takenAt);
  const changes: SnapshotChanges = {
    cluster: rows[0]!.name,
    snapshot: { id: input.snapshotId, takenAt: input.takenAt },
    events: input.events,
    deletedPolicies: input.objects.removed.filter((o) => isPolicyKind(o.kind)),
    objectChanges: objectChanges(input.objects),
    index: snapshotIndex(input.cluster),
  };
  const deliveries = rules.flatMap((rule) => {
    const matched = matchRule(rule, changes, silencesFor(rule, silences));
    return matched
      ? deliveriesOf(rule, input.clusterId, input.snapshotId, `snapshot:${input.snapshotId}`, matched)
      : [];
  });
  return writeDeliveries(client, deliveries);
}
