import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../../package-root.js';
import { CollectFailure, type CollectAndStore } from './collect-and-store.js';
import type { SnapshotOutcome } from './store-snapshot.js';
import type { ThreadMessage, ThreadRequest } from './thread-messages.js';

export interface ThreadOptions {
  /** The thread opens a pool of its own: a pg connection cannot be shared between threads. */
  databaseUrl: string;
  /** The thread's heap limit (V8 old generation): past it, this snapshot fails, not the process. */
  heapMb?: number;
}

/** The thread went away without an outcome: out of memory, an uncaught error, or terminated. */
export class SnapshotThreadCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotThreadCrash';
  }
}

/**
 * The thread's entry: the bundle's own (dist/snapshot-thread.js, built beside the CLI) when
 * this code runs from dist/, the TypeScript source through tsx otherwise (tests, benchmarks).
 */
function threadEntry(): string {
  return import.meta.url.endsWith('.ts')
    ? join(PACKAGE_ROOT, 'worker/snapshot/snapshot-thread-from-source.mjs')
    : join(PACKAGE_ROOT, 'dist/snapshot-thread.js');
}

function crashMessage(e: Error & { code?: string }, heapMb: number | undefined): string {
  if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const limit = heapMb === undefined ? "Node's default heap limit" : `REACHLOG_SNAPSHOT_HEAP_MB=${heapMb}`;
    return `the snapshot ran out of memory (${limit}) and was stopped; other clusters' snapshots go on`;
  }
  return `the snapshot's worker thread failed: ${e.message}`;
}

/**
 * Collect and store in a worker thread of its own, one per job: the worker's event loop stays
 * free to renew BullMQ's job locks however long the computation takes (a blocked loop misses
 * the renewal, and the job is taken as stalled and run twice), and a snapshot that runs out of
 * memory ends its thread, recorded as a failure, instead of the process and every cluster's
 * jobs with it.
 */
export function inWorkerThread(options: ThreadOptions): CollectAndStore {
  return (cluster, run, progress) =>
    new Promise<SnapshotOutcome>((resolve, reject) => {
      const request: ThreadRequest = { databaseUrl: options.databaseUrl, cluster, run };
      const thread = new Worker(threadEntry(), {
        workerData: request,
        ...(options.heapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: options.heapMb } }),
        // Its output goes to the process's: the thread logs as the worker does.
        stdout: false,
        stderr: false,
      });
      let settled: { outcome: SnapshotOutcome } | { error: Error } | undefined;
      thread.on('message', (m: ThreadMessage) => {
        if (m.type === 'progress') void Promise.resolve(progress(m.progress)).catch(() => undefined);
        else if (m.type === 'done') settled = { outcome: m.outcome };
        else settled = { error: m.collect ? new CollectFailure(m.message, m.collect.permanent) : new Error(m.message) };
      });
      thread.on('error', (e: Error) => {
        settled ??= { error: new SnapshotThreadCrash(crashMessage(e, options.heapMb)) };
      });
      // After the outcome, the thread closes its pool; its exit settles the job.
      thread.on('exit', (code) => {
        if (!settled)
          reject(new SnapshotThreadCrash(`the snapshot's worker thread exited (code ${code}) before finishing`));
        else if ('outcome' in settled) resolve(settled.outcome);
        else reject(settled.error);
      });
    });
}
