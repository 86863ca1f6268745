/**
 * A snapshot worker thread: collects clusters and stores them, one request at a time, on a pool
 * of its own, so that parsing, computing and diffing never hold up the worker's event loop
 * (BullMQ renews job locks there). Started and reused by run-in-thread.ts; bundled as
 * dist/snapshot-thread.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createPool } from '../../store/db/pool.js';
import { CollectFailure, collectAndStore } from './collect-and-store.js';
import type { ThreadMessage, ThreadRequest, ThreadStart } from './thread-messages.js';

const post = (message: ThreadMessage) => parentPort!.postMessage(message);
const pool = createPool((workerData as ThreadStart).databaseUrl);

parentPort!.on('message', (request: ThreadRequest) => {
  collectAndStore(pool, request.cluster, request.run, (progress) => post({ type: 'progress', progress })).then(
    (outcome) => post({ type: 'done', outcome }),
    (e: Error) =>
      post({
        type: 'failed',
        message: e.message,
        collect: e instanceof CollectFailure ? { permanent: e.permanent } : undefined,
      }),
  );
});
