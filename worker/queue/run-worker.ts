import { UnrecoverableError, Worker } from 'bullmq';
import { redact } from '../../config/redact.js';
import { createWorkerMetrics, type WorkerMetrics } from '../../metrics/process-metrics.js';
import { ClusterFactsRepository } from '../../store/cluster-facts.repository.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createPool } from '../../store/db/pool.js';
import { storeChecks, type ReadinessCheck } from '../../store/readiness.js';
import { SnapshotsRepository } from '../../store/snapshots.repository.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import { snapshotProcessor } from './snapshot.processor.js';
import { AlertDeliveriesRepository } from '../../store/alert-deliveries.repository.js';
import { env } from '../../config/env.js';
import { ReceiverSealer } from '../../store/receiver-secret.js';
import {
  ALERT_QUEUE,
  createAlertQueue,
  enqueueDeliveries,
  scheduleSweep,
  SWEEP_EVERY_MS,
  type AlertJobData,
} from '../../store/queue/alert-queue.js';
import { alertProcessor, deliveryBackoff } from '../alerts/alert.processor.js';
import type { DeliverOptions } from '../alerts/deliver.js';
import {
  createSnapshotQueue,
  SNAPSHOT_QUEUE,
  syncSchedule,
  type SnapshotJobData,
  type SnapshotJobResult,
} from '../../store/queue/snapshot-queue.js';

export interface WorkerOptions {
  /** Jobs run at once (different clusters; one cluster never runs twice at once). */
  concurrency?: number;
  /** How long a job's lock lasts before a crashed worker's job is retried elsewhere. */
  lockDurationMs?: number;
  log?: (line: string) => void;
  alerts?: {
    /** How often pending deliveries are queued again and health (overdue, failing) is checked. */
    sweepEveryMs?: number;
    /** The first retry's delay; each next one doubles (Retry-After wins when a receiver gives it). */
    backoffMs?: number;
    /** The key receivers are sealed with; default REACHLOG_SECRET_KEY. */
    secretKey?: Buffer;
    /** Each delivery attempt's outcome, by receiver kind: for a metric. */
    onOutcome?: DeliverOptions['onOutcome'];
  };
  /** Scrapes within this many ms share the store's answers (default 5 s; tests use 0). */
  metricsCacheMs?: number;
}

export interface RunningWorker {
  worker: Worker<SnapshotJobData, SnapshotJobResult>;
  /** Whether the worker's own Postgres pool and (non-blocking) Redis connection answer. */
  readiness: Record<string, ReadinessCheck>;
  /** What the status server's /metrics serves: per-cluster facts, queue depth, this process's jobs. */
  metrics: WorkerMetrics;
  /** Finishes the current jobs (or hands them back), then closes every connection. */
  close(): Promise<void>;
}

export async function startWorker(options: WorkerOptions = {}): Promise<RunningWorker> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const pool = createPool();
  const clusters = new ClustersRepository(pool);
  const queueConnection = createRedis();
  const queue = createSnapshotQueue(queueConnection);
  for (const c of await clusters.list()) await syncSchedule(queue, c);

  const lockDuration = options.lockDurationMs ?? 30_000;
  const alertQueue = createAlertQueue(queueConnection);
  await scheduleSweep(alertQueue, options.alerts?.sweepEveryMs ?? SWEEP_EVERY_MS);
  // BullMQ closes the connections it makes, not one it is given: close() ends this one.
  const workerConnection = createRedis();
  const worker = new Worker<SnapshotJobData, SnapshotJobResult>(
    SNAPSHOT_QUEUE,
    snapshotProcessor({
      pool,
      clusters,
      snapshots: new SnapshotsRepository(pool),
      queueDeliveries: (ids) => enqueueDeliveries(alertQueue, ids),
    }),
    {
      connection: workerConnection,
      concurrency: options.concurrency ?? 2,
      lockDuration,
      stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
    },
  );
  const facts = new ClusterFactsRepository(pool);
  const metrics = createWorkerMetrics({
    clusterFacts: () => facts.all(),
    queues: [queue],
    failedDeliveries: async () =>
      (await new AlertDeliveriesRepository(pool).outcomes())
        .filter((o) => o.status === 'failed')
        .map((o) => ({ receiver: o.receiverKind, count: o.count })),
    ...(options.metricsCacheMs === undefined ? {} : { cacheMs: options.metricsCacheMs }),
    onError: (line) => log(redact(line)),
  });
  const { jobs } = metrics;
  worker.on('completed', (job, r) => {
    jobs.completed.inc({ queue: SNAPSHOT_QUEUE });
    jobs.snapshotDuration.observe({ outcome: r.status }, r.durationMs / 1000);
    log(`snapshot ${r.snapshotId} of cluster ${job.data.clusterId}: ${r.status} in ${r.durationMs} ms`);
  });
  worker.on('failed', (job, e) => {
    // BullMQ counts the attempt before this event: none left, or one that retrying will not help, is final.
    const final = !job || e instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    jobs.failed.inc({ queue: SNAPSHOT_QUEUE, final: String(final) });
    if (job?.processedOn) jobs.snapshotDuration.observe({ outcome: 'failed' }, (Date.now() - job.processedOn) / 1000);
    log(`snapshot of cluster ${job?.data.clusterId} failed (attempt ${job?.attemptsMade}): ${e.message}`);
  });
  const config = env();
  const alertConnection = createRedis();
  const alertWorker = new Worker<AlertJobData, string>(
    ALERT_QUEUE,
    alertProcessor({
      pool,
      queue: alertQueue,
      sealer: new ReceiverSealer(options.alerts?.secretKey ?? config.secretKey),
      publicUrl: config.publicUrl,
      // The receiver label is the receiver's kind: rules have no receiver names.
      onOutcome: (kind, outcome) => {
        if (outcome !== 'skipped')
          metrics.alerts.deliveries.inc({ receiver: kind, outcome: outcome === 'retry' ? 'retried' : outcome });
        options.alerts?.onOutcome?.(kind, outcome);
      },
    }),
    {
      connection: alertConnection,
      concurrency: 4,
      lockDuration,
      stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
      settings: { backoffStrategy: deliveryBackoff(options.alerts?.backoffMs) },
    },
  );
  alertWorker.on('failed', (job, e) => {
    if (job?.data.kind === 'deliver')
      log(`alert delivery ${job.data.deliveryId} not sent (attempt ${job.attemptsMade}): ${e.message}`);
    else log(`alert sweep failed: ${e.message}`);
  });
  return {
    worker,
    // Not the worker's connection: it sits in blocking commands, so a PING there would wait.
    readiness: storeChecks({ pool, redis: queueConnection }),
    metrics,
    async close() {
      await worker.close();
      await alertWorker.close();
      await queue.close();
      await alertQueue.close();
      workerConnection.disconnect();
      alertConnection.disconnect();
      queueConnection.disconnect();
      await pool.end();
    },
  };
}
