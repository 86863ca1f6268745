import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { cachedRead } from './cached-read.js';

/**
 * Queue depth, read from Redis at scrape time (every replica sees the same queue), and what this
 * worker process did with its jobs, counted as they happen. Labels: the queue's name and a job
 * state from BullMQ's short fixed list.
 */

/** The states reported: waiting to run, running, waiting for a retry or a schedule, failed for good. */
export const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'paused'] as const;

/** What a queue must answer: BullMQ's `Queue.getJobCounts`. */
export interface CountedQueue {
  name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

export interface QueueMetricsOptions {
  cacheMs?: number;
  timeoutMs?: number;
}

export function registerQueueMetrics(
  registry: Registry,
  queues: readonly CountedQueue[],
  options: QueueMetricsOptions = {},
): void {
  const reads = queues.map((q) => ({
    name: q.name,
    read: cachedRead(() => q.getJobCounts(...QUEUE_STATES), {
      ttlMs: options.cacheMs ?? 5_000,
      // ioredis queues commands while it reconnects: without this a scrape would wait for Redis.
      timeoutMs: options.timeoutMs ?? 2_000,
    }),
  }));
  const registers = [registry];
  new Gauge({
    name: 'reachlog_queue_up',
    help: 'Whether Redis answered the queue depth query of this scrape (1) or not (0: reachlog_queue_jobs is absent)',
    labelNames: ['queue'],
    registers,
    async collect() {
      for (const q of reads) this.set({ queue: q.name }, (await q.read()).ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'reachlog_queue_jobs',
    help: 'Jobs in the queue by state (waiting, prioritized, active, delayed: retries and busy clusters, failed: kept after their last attempt, paused)',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const q of reads) {
        const outcome = await q.read();
        if (!outcome.ok) continue;
        for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, outcome.value[state] ?? 0);
      }
    },
  });
}

/** Counted by the worker process as its jobs end. */
export interface JobMetrics {
  completed: Counter<'queue'>;
  /** Every failed attempt; `final` says whether the job gave up (no retry left, or retrying will not help). */
  failed: Counter<'queue' | 'final'>;
  /** Snapshot jobs' time from start to end, by outcome (changed, unchanged, failed). */
  snapshotDuration: Histogram<'outcome'>;
}

export function registerJobMetrics(registry: Registry): JobMetrics {
  const registers = [registry];
  return {
    completed: new Counter({
      name: 'reachlog_jobs_completed_total',
      help: 'Jobs this worker process completed',
      labelNames: ['queue'],
      registers,
    }),
    failed: new Counter({
      name: 'reachlog_job_failures_total',
      help: 'Failed job attempts in this worker process; final="true" when the job will not be retried',
      labelNames: ['queue', 'final'],
      registers,
    }),
    snapshotDuration: new Histogram({
      name: 'reachlog_snapshot_duration_seconds',
      help: 'Snapshot jobs run by this worker process, start to end, by outcome',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
  };
}
