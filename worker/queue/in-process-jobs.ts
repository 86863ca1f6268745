import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError } from 'bullmq';
import type { ClusterRow } from '../../store/clusters.repository.js';
import type { SnapshotJob } from './snapshot.processor.js';
import type { SnapshotJobs } from '../../store/queue/snapshot-jobs.js';
import { SNAPSHOT_JOB_OPTIONS, type SnapshotJobResult } from '../../store/queue/snapshot-queue.js';

export interface InProcessJobsOptions {
  /** The snapshot processor, the same one the BullMQ worker runs. */
  process(job: SnapshotJob): Promise<SnapshotJobResult>;
  /** Runs one job holding the store's connection (the embedded store has only one). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  log(line: string): void;
}

interface Pending {
  id: string;
  clusterId: number;
  /** Attempts already made, as BullMQ counts them. */
  attemptsMade: number;
  /** Set by the processor's moveToDelayed: try again then, without counting an attempt. */
  delayedUntil?: number;
}

/**
 * Snapshot jobs run in this process, one at a time, by the BullMQ worker's processor: for the
 * embedded mode, where there is no Redis. Retries and backoff follow SNAPSHOT_JOB_OPTIONS; a
 * cluster's schedule is a timer. Nothing survives a restart but the schedules, which are set
 * again from the registered clusters at start.
 */
export class InProcessSnapshotJobs implements SnapshotJobs {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly waiting: Pending[] = [];
  private readonly retries = new Set<NodeJS.Timeout>();
  private running: Promise<void> | undefined;
  private closed = false;
  /** Outcomes of the latest jobs, for `finished` (BullMQ keeps 1000 as well). */
  private readonly outcomes = new Map<string, SnapshotJobResult | Error>();
  private readonly listeners = new Map<string, (outcome: SnapshotJobResult | Error) => void>();

  constructor(private readonly options: InProcessJobsOptions) {}

  /** Jobs run in this process: available while it runs. */
  ensureAvailable(): void {}

  async schedule(cluster: ClusterRow): Promise<void> {
    await this.unschedule(cluster.id);
    if (cluster.paused || this.closed) return;
    // As BullMQ's job scheduler does, the first snapshot is taken at once.
    this.add(cluster.id, true);
    const timer = setInterval(() => this.add(cluster.id, true), cluster.everySeconds * 1000);
    timer.unref();
    this.timers.set(cluster.id, timer);
  }

  async unschedule(clusterId: number): Promise<void> {
    clearInterval(this.timers.get(clusterId));
    this.timers.delete(clusterId);
  }

  async enqueue(clusterId: number): Promise<{ jobId: string }> {
    return { jobId: this.add(clusterId, false) };
  }

  /** The job's result once it has completed, or its last error. */
  finished(jobId: string): Promise<SnapshotJobResult> {
    return new Promise((resolve, reject) => {
      const settle = (outcome: SnapshotJobResult | Error) =>
        outcome instanceof Error ? reject(outcome) : resolve(outcome);
      const known = this.outcomes.get(jobId);
      if (known) settle(known);
      else this.listeners.set(jobId, settle);
    });
  }

  /** Stops the schedules and retries, and waits for the running job; waiting jobs are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.timers.keys()]) await this.unschedule(id);
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    this.waiting.length = 0;
    await this.running;
  }

  /** A scheduled tick adds nothing while the cluster already has a job waiting. */
  private add(clusterId: number, scheduled: boolean): string {
    const waiting = this.waiting.find((p) => p.clusterId === clusterId);
    if (scheduled && waiting) return waiting.id;
    // Unique across restarts: the embedded store keeps the rows that name it.
    const id = `local-cluster-${clusterId}-${randomUUID()}`;
    if (this.closed) return id;
    this.waiting.push({ id, clusterId, attemptsMade: 0 });
    this.running ??= this.drain();
    return id;
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.waiting.shift(); next; next = this.waiting.shift()) await this.run(next);
    } finally {
      this.running = undefined;
    }
  }

  private async run(pending: Pending): Promise<void> {
    const { log } = this.options;
    const job: SnapshotJob = {
      id: pending.id,
      data: { clusterId: pending.clusterId },
      updateProgress: async () => undefined,
      moveToDelayed: async (timestamp: number) => {
        pending.delayedUntil = timestamp;
      },
    };
    try {
      const r = await this.options.exclusive(() => this.options.process(job));
      log(`snapshot ${r.snapshotId} of cluster ${pending.clusterId}: ${r.status} in ${r.durationMs} ms`);
      this.settle(pending.id, r);
    } catch (e) {
      if (e instanceof DelayedError && pending.delayedUntil !== undefined) {
        this.later(pending, pending.delayedUntil - Date.now());
        return;
      }
      pending.attemptsMade += 1;
      log(`snapshot of cluster ${pending.clusterId} failed (attempt ${pending.attemptsMade}): ${(e as Error).message}`);
      if (e instanceof UnrecoverableError || pending.attemptsMade >= SNAPSHOT_JOB_OPTIONS.attempts) {
        this.settle(pending.id, e as Error);
        return;
      }
      this.later(pending, SNAPSHOT_JOB_OPTIONS.backoff.delay * 2 ** (pending.attemptsMade - 1));
    }
  }

  private later(pending: Pending, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(
      () => {
        this.retries.delete(timer);
        delete pending.delayedUntil;
        this.waiting.push(pending);
        this.running ??= this.drain();
      },
      Math.max(0, delayMs),
    );
    timer.unref();
    this.retries.add(timer);
  }

  private settle(jobId: string, outcome: SnapshotJobResult | Error): void {
    this.listeners.get(jobId)?.(outcome);
    this.listeners.delete(jobId);
    this.outcomes.set(jobId, outcome);
    if (this.outcomes.size > SNAPSHOT_JOB_OPTIONS.removeOnComplete.count) {
      this.outcomes.delete(this.outcomes.keys().next().value!);
    }
  }
}
