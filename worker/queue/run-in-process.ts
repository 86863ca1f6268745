import { ClustersRepository } from '../../store/clusters.repository.js';
import type { SingleConnectionPool } from '../../store/db/single-connection-pool.js';
import { SnapshotsRepository } from '../../store/snapshots.repository.js';
import { ClusterNames } from './cluster-names.js';
import { InProcessSnapshotJobs } from './in-process-jobs.js';
import { snapshotProcessor } from './snapshot.processor.js';
import { InProcessAlerts } from '../alerts/in-process-alerts.js';
import { ReceiverSealer } from '../../store/receiver-secret.js';

/**
 * The embedded mode's worker: the BullMQ worker's processor, run in this process over the
 * embedded store, with every registered cluster's schedule set (as startWorker does).
 */
export async function startInProcessJobs(
  pool: SingleConnectionPool,
  log: (line: string) => void,
): Promise<InProcessSnapshotJobs> {
  const clusters = new ClustersRepository(pool);
  const names = new ClusterNames(clusters);
  const jobs = new InProcessSnapshotJobs({
    process: snapshotProcessor({ pool, clusters, snapshots: new SnapshotsRepository(pool), names }),
    exclusive: (fn) => pool.exclusive(fn),
    log,
    names,
  });
  for (const c of await clusters.list()) await jobs.schedule(c);
  return jobs;
}

/** The embedded mode's alert sender over the embedded store (see InProcessAlerts). */
export function startInProcessAlerts(
  pool: SingleConnectionPool,
  options: { secretKey: Buffer | undefined; publicUrl: string; log: (line: string) => void },
): InProcessAlerts {
  return new InProcessAlerts({
    pool,
    exclusive: (fn) => pool.exclusive(fn),
    sealer: new ReceiverSealer(options.secretKey),
    publicUrl: options.publicUrl,
    log: options.log,
  });
}
