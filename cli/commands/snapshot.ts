import { Job, type QueueEvents } from 'bullmq';
import { Command } from 'commander';
import type { SnapshotSummary } from '../../api/services/query-service.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import {
  createSnapshotQueueEvents,
  type SnapshotJobData,
  type SnapshotJobResult,
} from '../../store/queue/snapshot-queue.js';
import { CliError } from '../cli-error.js';
import { OPERATOR, withServices, type Services } from '../services.js';
import { snapshotLine } from '../snapshot-line.js';

/** How many of the cluster's latest snapshots are searched for the job's row (others may land meanwhile). */
const RECENT = 20;

/** The stored snapshot the user will see in `cluster show` and the API: by id, or a failed row with the job's error. */
async function storedSnapshot(
  s: Services,
  name: string,
  match: (snap: SnapshotSummary) => boolean,
): Promise<SnapshotSummary | undefined> {
  const { snapshots } = await s.admin.clusterWithSnapshots(OPERATOR, name, RECENT);
  return snapshots.find(match);
}

async function triggerAndWait(
  s: Services,
  name: string,
  events: QueueEvents,
  timeoutMs: number,
): Promise<SnapshotJobResult> {
  const { jobId } = await s.admin.triggerSnapshot(OPERATOR, name);
  process.stdout.write(`queued a snapshot of ${name}\n`);
  const queue = s.queue!;
  // Waiting on a queue nobody consumes would only end at the timeout: say why at once.
  if ((await queue.getWorkersCount()) === 0) {
    throw new CliError(
      `no worker is consuming the snapshot queue: start \`reachlog worker\` (the snapshot of ${name} runs when one does)`,
      1,
    );
  }
  const job = await Job.fromId<SnapshotJobData, SnapshotJobResult>(queue, jobId);
  if (!job) throw new CliError(`the snapshot of ${name} is no longer in the queue`, 1);
  try {
    return await job.waitUntilFinished(events, timeoutMs);
  } catch (e) {
    // A failed attempt is stored as a failed snapshot (when it got as far as the cluster): show that row.
    const message = (e as Error).message;
    const failed = await storedSnapshot(s, name, (snap) => snap.status === 'failed' && snap.error === message);
    throw new CliError(failed ? `snapshot failed:\n${snapshotLine(failed)}` : `snapshot failed: ${message}`, 1);
  }
}

export function snapshotCommand(): Command {
  return new Command('snapshot')
    .description('snapshot a registered cluster now (a running `reachlog worker` does it)')
    .argument('<name>')
    .option('--wait', 'block until the snapshot is stored and print it as `cluster show` lists it')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '600')
    .action((name: string, flags) =>
      withServices(async (s) => {
        if (!flags.wait) {
          await s.admin.triggerSnapshot(OPERATOR, name);
          process.stdout.write(
            `queued a snapshot of ${name}: \`reachlog cluster show ${name}\` lists it once stored\n`,
          );
          return;
        }
        // Listening before the job exists: its finish is heard however soon it comes.
        const eventsConnection = createRedis();
        let result: SnapshotJobResult;
        try {
          const events = await createSnapshotQueueEvents(eventsConnection);
          try {
            result = await triggerAndWait(s, name, events, Number(flags.timeout) * 1000);
          } finally {
            await events.close();
          }
        } finally {
          eventsConnection.disconnect();
        }
        const stored = await storedSnapshot(s, name, (snap) => snap.id === result.snapshotId);
        if (!stored)
          throw new CliError(`snapshot #${result.snapshotId} of ${name} is not stored (removed meanwhile?)`, 1);
        process.stdout.write(`${snapshotLine(stored)}\n`);
        for (const p of stored.problems) process.stdout.write(`  left out: ${p}\n`);
      }),
    );
}
