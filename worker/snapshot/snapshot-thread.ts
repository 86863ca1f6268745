/**
 * A snapshot's worker thread: collects one cluster and stores it on a pool of its own, so that
 * parsing, computing and diffing never hold up the worker's event loop (BullMQ renews job locks
 * there). Started by run-in-thread.ts; bundled as dist/snapshot-thread.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createPool } from '../../store/db/pool.js';
import { CollectFailure, collectAndStore } from './collect-and-store.js';
import type { ThreadMessage, ThreadRequest } from './thread-messages.js';

const request = workerData as ThreadRequest;
const post = (message: ThreadMessage) => parentPort!.postMessage(message);
const pool = createPool(request.databaseUrl);
try {
  const outcome = await collectAndStore(pool, request.cluster, request.run, (progress) =>
    post({ type: 'progress', progress }),
  );
  post({ type: 'done', outcome });
} catch (e) {
  post({
    type: 'failed',
    message: (e as Error).message,
    collect: e instanceof CollectFailure ? { permanent: e.permanent } : undefined,
  });
} finally {
  await pool.end();
}
