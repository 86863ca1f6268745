import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../../package-root.js';
import { CollectFailure, type CollectAndStore } from './collect-and-store.js';
import type { SnapshotOutcome } from './store-snapshot.js';
import type { ThreadMessage, ThreadRequest, ThreadStart } from './thread-messages.js';

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
 * Collect and store in worker threads: the worker's event loop stays free to renew BullMQ's job
 * locks however long the computation takes (a blocked loop misses the renewal, and the job is
 * taken as stalled and run twice), and a snapshot that runs out of memory ends its thread,
 * recorded as a failure, instead of the process and every cluster's jobs with it. A thread runs
 * one snapshot at a time and is kept for the next (starting one loads the code again); one that
 * failed that way is replaced.
 */
export class SnapshotThreads {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();

  constructor(private readonly options: ThreadOptions) {}

  readonly run: CollectAndStore = (cluster, run, progress) => {
    const thread = this.idle.pop() ?? this.start();
    return new Promise<SnapshotOutcome>((resolve, reject) => {
      const done = (settle: () => void, reuse: boolean) => {
        thread.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (reuse) this.idle.push(thread);
        settle();
      };
      const onMessage = (m: ThreadMessage) => {
        if (m.type === 'progress') void Promise.resolve(progress(m.progress)).catch(() => undefined);
        else if (m.type === 'done') done(() => resolve(m.outcome), true);
        else {
          const error = m.collect ? new CollectFailure(m.message, m.collect.permanent) : new Error(m.message);
          done(() => reject(error), true);
        }
      };
      const onError = (e: Error) =>
        done(() => reject(new SnapshotThreadCrash(crashMessage(e, this.options.heapMb))), false);
      const onExit = (code: number) =>
        done(
          () => reject(new SnapshotThreadCrash(`the snapshot's worker thread exited (code ${code}) before finishing`)),
          false,
        );
      thread.on('message', onMessage).on('error', onError).on('exit', onExit);
      const request: ThreadRequest = { cluster, run };
      thread.postMessage(request);
    });
  };

  /** Starts a thread ahead of the first snapshot, which would otherwise wait for it to load. */
  warm(): void {
    if (this.idle.length === 0) this.idle.push(this.start());
  }

  /** Ends the threads (call when no snapshot runs: the BullMQ worker has closed). */
  async close(): Promise<void> {
    await Promise.all([...this.all].map((t) => t.terminate()));
    this.idle.length = 0;
  }

  private start(): Worker {
    const start: ThreadStart = { databaseUrl: this.options.databaseUrl };
    const thread = new Worker(threadEntry(), {
      workerData: start,
      ...(this.options.heapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb } }),
    });
    this.all.add(thread);
    // An idle thread's error (one that failed to load) only ends it; a running one's is its run's failure.
    thread.on('error', () => undefined);
    thread.once('exit', () => {
      this.all.delete(thread);
      const i = this.idle.indexOf(thread);
      if (i >= 0) this.idle.splice(i, 1);
    });
    // An idle thread does not keep the process alive.
    thread.unref();
    return thread;
  }
}
