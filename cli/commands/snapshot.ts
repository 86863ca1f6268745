import { Job } from 'bullmq';
import { Command } from 'commander';
import type { SnapshotSummary } from '../../api/services/query-service.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import { createSnapshotQueueEvents } from '../../store/queue/snapshot-queue.js';
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

export function snapshotCommand(): Command {
  return new Command('snapshot')
    .description('snapshot a registered cluster now (a running `reachlog worker` does it)')
    .argument('<name>')
    .option('--wait', 'block until the snapshot is stored and print it as `cluster show` lists it')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '600')
    .action((name: string, flags) =>
      withServices(async (s) => {
        const { jobId } = await s.admin.triggerSnapshot(OPERATOR, name);
        if (!flags.wait) {
          process.stdout.write(
            `queued a snapshot of ${name}: \`reachlog cluster show ${name}\` lists it once stored\n`,
          );
          return;
        }
        process.stdout.write(`queued a snapshot of ${name}\n`);
        const queue = s.queue!;
        // Waiting on a queue nobody consumes would only end at the timeout: say why at once.
        if ((await queue.getWorkersCount()) === 0) {
          throw new CliError(
            `no worker is consuming the snapshot queue: start \`reachlog worker\` (the snapshot of ${name} runs when one does)`,
            1,
          );
        }
        const job = await Job.fromId(queue, jobId);
        if (!job) throw new CliError(`the snapshot of ${name} is no longer in the queue`, 1);
        const eventsConnection = createRedis();
        const events = createSnapshotQueueEvents(eventsConnection);
        let result;
        try {
          result = await job.waitUntilFinished(events, Number(flags.timeout) * 1000);
        } catch (e) {
          // A failed attempt is stored as a failed snapshot (when it got as far as the cluster): show that row.
          const message = (e as Error).message;
          const failed = await storedSnapshot(s, name, (snap) => snap.status === 'failed' && snap.error === message);
          throw new CliError(failed ? `snapshot failed:\n${snapshotLine(failed)}` : `snapshot failed: ${message}`, 1);
        } finally {
          await events.close();
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
