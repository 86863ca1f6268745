import { UnrecoverableError, Worker } from 'bullmq';
import { env } from '../../config/env.js';
import { redact } from '../../config/redact.js';
import { createWorkerMetrics, type WorkerMetrics } from '../../metrics/process-metrics.js';
import { ClusterFactsRepository } from '../../store/cluster-facts.repository.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createPool } from '../../store/db/pool.js';
import { outageLog } from '../../store/outage-log.js';
import { clusterIsOverdue, overdueAt, overdueFrom } from '../../store/overdue.js';
import { storeChecks, type ReadinessCheck } from '../../store/readiness.js';
import { SnapshotsRepository } from '../../store/snapshots.repository.js';
import { createRedis, redisReady } from '../../store/queue/redis-connection.js';
import { ClusterNames } from './cluster-names.js';
import { snapshotProcessor } from './snapshot.processor.js';
import { AlertDeliveriesRepository } from '../../store/alert-deliveries.repository.js';
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
import { startReportWorker } from './report-worker.js';
import { reportServiceFromEnv } from '../../api/services/reports/report-service-from-env.js';
import { ReportDefinitionsRepository } from '../../store/report-definitions.repository.js';
import { createReportQueue, syncReportSchedule } from '../../store/queue/report-queue.js';
import { reconcileSchedules, restoreOtherSchedulers } from './reconcile-schedules.js';
import { DATA_CHECK_EVERY_MS, markerWasMissing } from './redis-data-marker.js';
import { SnapshotThreads } from '../snapshot/run-in-thread.js';
import {
  createSnapshotQueue,
  SNAPSHOT_QUEUE,
  type SnapshotJobData,
  type SnapshotJobResult,
} from '../../store/queue/snapshot-queue.js';

export interface WorkerOptions {
  /** Jobs run at once (different clusters; one cluster never runs twice at once). */
  concurrency?: number;
  /** How long a job's lock lasts before a crashed worker's job is retried elsewhere. */
  lockDurationMs?: number;
  /**
   * How often the job schedulers are checked against the clusters table (besides at start,
   * whenever Redis connects again and whenever it is found emptied): a backstop.
   */
  reconcileEveryMs?: number;
  /** How often the worker checks that Redis still holds its data (a marker key); default 5 s. */
  dataCheckEveryMs?: number;
  /** Each snapshot thread's heap limit (REACHLOG_SNAPSHOT_HEAP_MB); Node's default when unset. */
  snapshotHeapMb?: number;
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

/** A cluster whose history has a gap now (store/overdue.ts). */
export interface OverdueCluster {
  cluster: string;
  everySeconds: number;
  /** ISO 8601; null: never succeeded (counted from registration). */
  lastSuccessAt: string | null;
  overdueSince: string;
}

export interface RunningWorker {
  worker: Worker<SnapshotJobData, SnapshotJobResult>;
  /** Whether the worker's own Postgres pool and (non-blocking) Redis connection answer. */
  readiness: Record<string, ReadinessCheck>;
  /** The clusters whose snapshots are overdue now, for /readyz's detail. */
  overdue(): Promise<OverdueCluster[]>;
  /** Checks the job schedulers against the tables now (also done on its own); false: could not. */
  reconcile(): Promise<boolean>;
  /** What the status server's /metrics serves: per-cluster facts, queue depth, this process's jobs. */
  metrics: WorkerMetrics;
  /** Finishes the current jobs (or hands them back), then closes every connection. */
  close(): Promise<void>;
}

export const DEFAULT_RECONCILE_MS = 60_000;

export async function startWorker(options: WorkerOptions = {}): Promise<RunningWorker> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const databaseUrl = env().databaseUrl;
  const pool = createPool(databaseUrl, log);
  const clusters = new ClustersRepository(pool);
  const snapshots = new SnapshotsRepository(pool);
  const names = new ClusterNames(clusters);
  const threads = new SnapshotThreads({ databaseUrl, heapMb: options.snapshotHeapMb ?? env().snapshotHeapMb });
  threads.warm();
  // One line per Redis outage for all of this process's connections.
  const redisOutage = outageLog(log);
  const queueConnection = createRedis(undefined, { log, role: 'queue', outage: redisOutage });
  const queue = createSnapshotQueue(queueConnection);
  const errors = outageLog(log);

  const alertQueue = createAlertQueue(queueConnection);
  const sweepEveryMs = options.alerts?.sweepEveryMs ?? SWEEP_EVERY_MS;
  await scheduleSweep(alertQueue, sweepEveryMs);
  // Scheduled reports: the schedules are re-asserted at start (a definition added while Redis was
  // empty gets its scheduler back).
  const reportDefinitions = new ReportDefinitionsRepository(pool);
  const reportQueue = createReportQueue(queueConnection);
  for (const d of await reportDefinitions.list()) await syncReportSchedule(reportQueue, d);

  /** Whether every scheduler now matches the tables (false: not checked, retried later). */
  const reconcileNow = async (): Promise<boolean> => {
    try {
      const { restored, removed } = await reconcileSchedules(queue, await clusters.list());
      if (restored.length) log(`schedules restored from the clusters table: ${restored.join(', ')}`);
      if (removed.length) log(`schedules removed (no such active cluster): ${removed.join(', ')}`);
      const others = await restoreOtherSchedulers(
        { queue: alertQueue, sweepEveryMs },
        { queue: reportQueue, definitions: await reportDefinitions.list() },
      );
      if (others.length) log(`schedules restored: ${others.join(', ')}`);
      return true;
    } catch (e) {
      errors(`schedules not checked (retried): ${redact((e as Error).message)}`);
      return false;
    }
  };
  // One at a time; cleared in a later microtask, after the assignment (a body that returns
  // without awaiting would otherwise clear it first and leave a settled promise behind).
  let reconciling: Promise<boolean> | undefined;
  const reconcile = () => (reconciling ??= reconcileNow().finally(() => (reconciling = undefined)));
  await reconcileSchedules(queue, await clusters.list());
  // Redis may lose its data without the connection dropping (FLUSHALL, a failover the client
  // follows at once): a marker key gone says so within seconds, where the periodic reconcile
  // would take a minute. Checked again on every reconnect (an empty Redis after a restart).
  await markerWasMissing(queueConnection);
  /** Set when the schedulers may be gone (the marker was, or Redis reconnected); cleared by a reconcile. */
  let restorePending = false;
  const checkDataNow = async (): Promise<void> => {
    try {
      if (!redisReady(queueConnection)) return;
      if (await markerWasMissing(queueConnection)) {
        log('redis lost its data (emptied, or failed over to an empty replica): restoring the job schedulers');
        restorePending = true;
      }
      if (!restorePending) return;
      // A reconcile already under way may have read the schedulers before they were lost.
      await reconciling;
      restorePending = !(await reconcile());
    } catch {
      // The connection reports its own errors; the next check tries again.
    }
  };
  let checkingData: Promise<void> | undefined;
  const checkData = () => (checkingData ??= checkDataNow().finally(() => (checkingData = undefined)));
  let connectedBefore = true;
  queueConnection.on('close', () => (connectedBefore = false));
  queueConnection.on('ready', () => {
    if (connectedBefore) return;
    connectedBefore = true;
    // Schedulers may be missing with the marker there (a restart from an older save): reconcile anyway.
    restorePending = true;
    void checkData();
  });
  const dataChecks = setInterval(() => void checkData(), options.dataCheckEveryMs ?? DATA_CHECK_EVERY_MS);
  dataChecks.unref();
  const periodic = setInterval(() => void reconcile(), options.reconcileEveryMs ?? DEFAULT_RECONCILE_MS);
  periodic.unref();

  const lockDuration = options.lockDurationMs ?? 30_000;
  // BullMQ closes the connections it makes, not one it is given: close() ends this one.
  const workerConnection = createRedis(undefined, { log, role: 'worker', outage: redisOutage });
  const worker = new Worker<SnapshotJobData, SnapshotJobResult>(
    SNAPSHOT_QUEUE,
    snapshotProcessor({
      pool,
      clusters,
      snapshots,
      collectAndStore: threads.run,
      queueDeliveries: (ids) => enqueueDeliveries(alertQueue, ids),
      names,
    }),
    {
      connection: workerConnection,
      concurrency: options.concurrency ?? 2,
      lockDuration,
      stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
    },
  );
  worker.on('error', (e) => errors(`worker: ${redact(e.message || String(e))}`));
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
    void names
      .label(job.data.clusterId)
      .then((cluster) => log(`snapshot ${r.snapshotId} of ${cluster}: ${r.status} in ${r.durationMs} ms`));
  });
  worker.on('failed', (job, e) => {
    // BullMQ counts the attempt before this event: none left, or one that retrying will not help, is final.
    const final = !job || e instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    jobs.failed.inc({ queue: SNAPSHOT_QUEUE, final: String(final) });
    if (job?.processedOn) jobs.snapshotDuration.observe({ outcome: 'failed' }, (Date.now() - job.processedOn) / 1000);
    void names
      .label(job?.data.clusterId)
      .then((cluster) => log(`snapshot of ${cluster} failed (attempt ${job?.attemptsMade}): ${redact(e.message)}`));
  });
  const config = env();
  const alertConnection = createRedis(undefined, { log, role: 'alerts', outage: redisOutage });
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
  alertWorker.on('error', (e) => errors(`alert worker: ${redact(e.message || String(e))}`));
  alertWorker.on('failed', (job, e) => {
    if (job?.data.kind === 'deliver')
      log(`alert delivery ${job.data.deliveryId} not sent (attempt ${job.attemptsMade}): ${e.message}`);
    else log(`alert sweep failed: ${e.message}`);
  });
  // One report runs at a time (they read a lot of history).
  const reportConnection = createRedis(undefined, { log, role: 'reports', outage: redisOutage });
  const reportWorker = startReportWorker({
    pool,
    connection: reportConnection,
    reports: reportServiceFromEnv(pool),
    lockDurationMs: Math.max(lockDuration, 120_000),
    log,
    errors,
  });
  // A stalled job's worker died (killed, out of memory) or stopped renewing its lock: the
  // attempt left no row of its own, so the gap is recorded here, by the worker that noticed.
  worker.on('stalled', (jobId) => {
    void recordStall(queue, snapshots, names, jobId).then(
      (line) => line && log(line),
      (e: Error) => log(`could not record stalled snapshot job ${jobId}: ${redact(e.message)}`),
    );
  });
  return {
    worker,
    // Not the worker's connection: it sits in blocking commands, so a PING there would wait.
    readiness: storeChecks({ pool, redis: queueConnection }),
    async overdue() {
      const now = new Date();
      return (await clusters.listWithLastSuccess())
        .filter((c) => clusterIsOverdue(c, now))
        .map((c) => ({
          cluster: c.name,
          everySeconds: c.everySeconds,
          lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null,
          overdueSince: overdueAt(overdueFrom(c), c.everySeconds * 1000)!.toISOString(),
        }));
    },
    reconcile,
    metrics,
    async close() {
      clearInterval(periodic);
      clearInterval(dataChecks);
      await worker.close();
      await alertWorker.close();
      await reportWorker.close();
      await reportQueue.close();
      await checkingData;
      await reconciling;
      await threads.close();
      await queue.close();
      await alertQueue.close();
      reportConnection.disconnect();
      workerConnection.disconnect();
      alertConnection.disconnect();
      queueConnection.disconnect();
      await pool.end();
    },
  };
}

async function recordStall(
  queue: ReturnType<typeof createSnapshotQueue>,
  snapshots: SnapshotsRepository,
  names: ClusterNames,
  jobId: string,
): Promise<string | undefined> {
  const job = await queue.getJob(jobId);
  if (!job) return undefined;
  const next =
    (await job.getState()) === 'failed'
      ? 'it had stalled before, so it is given up until the next scheduled snapshot'
      : 'it is run again';
  const message = `snapshot job ${jobId} stalled: the worker running it stopped (killed, or out of memory) or could not renew its lock; ${next}`;
  await snapshots.recordFailure(job.data.clusterId, message, job.processedOn ? Date.now() - job.processedOn : 0, jobId);
  return `snapshot of ${await names.label(job.data.clusterId)}: ${message}`;
}
