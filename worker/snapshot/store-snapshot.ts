import {
  buildCluster,
  computeReachability,
  type InputError,
  type RawObject,
  diffKeyed,
  exposureCounts,
  type ExposureCounts,
  fromMatrixDoc,
  toMatrixDoc,
  summarize,
} from '../../engine/index.js';
import { replaceCurrentPods, type CurrentPodRow } from '../../store/current-pods.repository.js';
import type { Pool } from '../../store/db/pool.js';
import { inTransaction } from '../../store/db/transaction.js';
import { writeExposureEvents } from '../../store/exposure-events.repository.js';
import { snapshotWrites } from '../../store/snapshots.repository.js';
import { currentVersions, planVersions, writeVersions } from '../../store/versions.repository.js';
import { hashOf } from '../../store/history/content-hash.js';
import { causeIndex, changeRows, exposureFlips } from './exposure-events.js';
import { objectItems } from '../../store/history/objects.js';
import { docFromVersions, reachItems } from '../../store/history/reach-parts.js';
import { recordAlerts } from '../alerts/record-alerts.js';

/**
 * What one snapshot holds, kept in its row. The exposure figures are computed when the content
 * changed and carried over by unchanged snapshots, so the latest successful snapshot always
 * states them (metrics read them from there); snapshots stored before they existed lack them.
 */
export interface SnapshotCounts extends Partial<ExposureCounts> {
  namespaces: number;
  workloads: number;
  pods: number;
  services: number;
  policies: number;
  invalid: number;
  objectVersions: number;
  reachVersions: number;
  events: number;
  podsHash: string;
}

export interface SnapshotOutcome {
  snapshotId: number;
  status: 'changed' | 'unchanged';
  counts: SnapshotCounts;
  /** Invalid objects left out, each naming file/listing, object and field. */
  problems: string[];
  durationMs: number;
  /** Alert deliveries this snapshot wrote to the outbox, pending: the caller queues them after COMMIT. */
  alertDeliveries: string[];
}

/**
 * Stores one collection of a cluster in a single transaction: the snapshot row, new object
 * versions, the engine's result as versions, exposure events and the current pods. A crash
 * anywhere before COMMIT leaves nothing behind.
 */
export async function storeSnapshot(
  pool: Pool,
  clusterId: number,
  objects: readonly RawObject[],
  options: {
    takenAt?: Date;
    jobId?: string;
    startedAt?: number;
    /** What could not be read (InputErrors, symlinks not followed): recorded as problems. */
    readErrors?: readonly Pick<InputError, 'message'>[];
    /** Objects from an API server: fields reachlog's schemas do not know are accepted. */
    acceptedByApiServer?: boolean;
  } = {},
): Promise<SnapshotOutcome> {
  const started = options.startedAt ?? Date.now();
  const cluster = buildCluster(objects, { acceptedByApiServer: options.acceptedByApiServer ?? false });
  const problems = [...(options.readErrors ?? []), ...cluster.errors].map((e) => e.message);
  const items = objectItems(cluster, objects, cluster.errors);
  const contentHash = hashOf(items.map((i) => `${i.kind}\u0000${i.key}\u0000${i.hash}`).sort());
  const byName = new Map<string, CurrentPodRow>();
  for (const w of cluster.workloads) {
    for (const p of w.pods) {
      if (!p.fromTemplate)
        byName.set(`${p.namespace}/${p.name}`, {
          namespace: p.namespace,
          name: p.name,
          workloadId: w.id,
          ips: [...p.ips],
        });
    }
  }
  const pods = [...byName.values()];
  // Hashed as tuples, as stored snapshots' podsHash were.
  const podsHash = hashOf(pods.map((p) => [p.namespace, p.name, p.workloadId, p.ips]));
  const counts: SnapshotCounts = {
    namespaces: cluster.namespaces.size,
    workloads: cluster.workloads.length,
    pods: pods.length,
    services: cluster.services.length,
    policies: items.filter((i) => i.kind.endsWith('NetworkPolicy')).length,
    invalid: problems.length,
    objectVersions: 0,
    reachVersions: 0,
    events: 0,
    podsHash,
  };

  return inTransaction(pool, async (client) => {
    await snapshotWrites.lockWriter(client, clusterId);
    const previous = await snapshotWrites.lastStored(client, clusterId);
    const unchanged = previous?.contentHash === contentHash;
    const takenAt = options.takenAt ?? new Date();
    let alertDeliveries: string[] = [];
    if (unchanged) Object.assign(counts, previous.exposure);
    const snapshotId = await snapshotWrites.insert(client, {
      clusterId,
      takenAt,
      status: unchanged ? 'unchanged' : 'changed',
      contentHash,
      jobId: options.jobId ?? null,
      problems,
    });

    if (!unchanged) {
      const objectPlan = planVersions(await currentVersions(client, 'object_version', clusterId), items);
      await writeVersions(client, 'object_version', clusterId, snapshotId, objectPlan);
      counts.objectVersions = objectPlan.added.length + objectPlan.changed.length;

      const reach = computeReachability(cluster);
      Object.assign(counts, exposureCounts(reach));
      const doc = toMatrixDoc(reach);
      const storedParts = await currentVersions(client, 'reach_version', clusterId, true);
      const reachPlan = planVersions(storedParts, reachItems(doc));
      await writeVersions(client, 'reach_version', clusterId, snapshotId, reachPlan);
      counts.reachVersions = reachPlan.added.length + reachPlan.changed.length;

      // The first snapshot is the baseline: changes are counted from the second on.
      if (storedParts.length > 0) {
        const before = fromMatrixDoc(docFromVersions(storedParts));
        const causes = causeIndex(objectPlan);
        const exposedBefore = summarize(
          before.view,
          before.outside,
          before.doc.workloads.map(([id]) => ({ id, hostNetwork: false })),
          0,
        ).exposedToOutside;
        const events = [
          ...changeRows(diffKeyed(before, { doc, view: reach.view }), causes),
          ...exposureFlips(exposedBefore, reach.summary().exposedToOutside, causes),
        ];
        await writeExposureEvents(client, clusterId, snapshotId, events);
        counts.events = events.length;
        // The outbox: alerts commit with the events that caused them, or not at all.
        alertDeliveries = await recordAlerts(client, {
          clusterId,
          snapshotId,
          takenAt,
          cluster,
          events,
          objects: objectPlan,
        });
      }
    }

    // Pod names and addresses are kept for the latest snapshot only, rewritten when they move.
    if (previous?.podsHash !== podsHash) await replaceCurrentPods(client, clusterId, snapshotId, pods);
    const durationMs = Date.now() - started;
    await snapshotWrites.finish(client, snapshotId, counts, durationMs);
    return {
      snapshotId,
      status: unchanged ? 'unchanged' : 'changed',
      counts,
      problems,
      durationMs,
      alertDeliveries,
    };
  });
}
