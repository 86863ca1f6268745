import type { Pool } from 'pg';
import {
  buildCluster,
  computeReachability,
  type InputError,
  type RawObject,
  diffKeyed,
  fromMatrixDoc,
  toMatrixDoc,
  summarize,
} from '../../engine/index.js';
import { copyRows } from '../store/copy-rows.js';
import { currentVersions, planVersions, writeVersions } from '../store/versions.repository.js';
import { hashOf } from './content-hash.js';
import { causeIndex, changeRows, exposureFlips, type ExposureEventRow } from './exposure-events.js';
import { objectItems } from './object-items.js';
import { docFromVersions, reachItems } from './reach-items.js';

export interface SnapshotCounts {
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
}

/** Serializes writers of one cluster: snapshots are versioned against the one before. */
const LOCK_SPACE = 0x7265616c; // "real"

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
    readErrors?: readonly InputError[];
    /** Objects from an API server: fields reachlog's schemas do not know are accepted. */
    acceptedByApiServer?: boolean;
  } = {},
): Promise<SnapshotOutcome> {
  const started = options.startedAt ?? Date.now();
  const cluster = buildCluster(objects, { acceptedByApiServer: options.acceptedByApiServer ?? false });
  const problems = [...(options.readErrors ?? []), ...cluster.errors].map((e) => e.message);
  const items = objectItems(cluster, objects, cluster.errors);
  const contentHash = hashOf(items.map((i) => `${i.kind}\u0000${i.key}\u0000${i.hash}`).sort());
  const byName = new Map<string, [string, string, string, string[]]>();
  for (const w of cluster.workloads) {
    for (const p of w.pods)
      if (!p.fromTemplate) byName.set(`${p.namespace}/${p.name}`, [p.namespace, p.name, w.id, [...p.ips]]);
  }
  const pods = [...byName.values()];
  const podsHash = hashOf(pods);
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

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, clusterId]);
    const last = await client.query<{ content_hash: string; counts: SnapshotCounts | null }>(
      `SELECT content_hash, counts FROM snapshot WHERE cluster_id = $1 AND status <> 'failed' ORDER BY id DESC LIMIT 1`,
      [clusterId],
    );
    const previous = last.rows[0];
    const unchanged = previous?.content_hash === contentHash;
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO snapshot (cluster_id, taken_at, status, content_hash, job_id, problems)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        clusterId,
        options.takenAt ?? new Date(),
        unchanged ? 'unchanged' : 'changed',
        contentHash,
        options.jobId ?? null,
        JSON.stringify(problems),
      ],
    );
    const snapshotId = inserted.rows[0]!.id;

    if (!unchanged) {
      const objectPlan = planVersions(await currentVersions(client, 'object_version', clusterId), items);
      await writeVersions(client, 'object_version', clusterId, snapshotId, objectPlan);
      counts.objectVersions = objectPlan.added.length + objectPlan.changed.length;

      const reach = computeReachability(cluster);
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
        const events: ExposureEventRow[] = [
          ...changeRows(diffKeyed(before, { doc, view: reach.view }), causes),
          ...exposureFlips(exposedBefore, reach.summary().exposedToOutside, causes),
        ];
        await copyRows(
          client,
          'exposure_event',
          ['cluster_id', 'snapshot_id', 'change', 'src', 'dst', 'before', 'after', 'gained', 'lost', 'causes'],
          events.map((e) => [
            clusterId,
            snapshotId,
            e.change,
            e.src,
            e.dst,
            JSON.stringify(e.before),
            JSON.stringify(e.after),
            JSON.stringify(e.gained),
            JSON.stringify(e.lost),
            JSON.stringify(e.causes),
          ]),
        );
        counts.events = events.length;
      }
    }

    // Pod names and addresses are kept for the latest snapshot only, rewritten when they move.
    if (previous?.counts?.podsHash !== podsHash) {
      await client.query('DELETE FROM current_pod WHERE cluster_id = $1', [clusterId]);
      await copyRows(
        client,
        'current_pod',
        ['cluster_id', 'namespace', 'name', 'workload_id', 'ips', 'snapshot_id'],
        pods.map(([ns, name, workload, ips]) => [clusterId, ns, name, workload, ips, snapshotId]),
      );
    }
    const durationMs = Date.now() - started;
    await client.query('UPDATE snapshot SET counts = $2, duration_ms = $3 WHERE id = $1', [
      snapshotId,
      JSON.stringify(counts),
      durationMs,
    ]);
    await client.query('COMMIT');
    return { snapshotId, status: unchanged ? 'unchanged' : 'changed', counts, problems, durationMs };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
