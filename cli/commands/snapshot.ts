import { Job } from 'bullmq';
import { Command } from 'commander';
import { createRedis } from '../../store/queue/redis-connection.js';
import { createSnapshotQueueEvents } from '../../store/queue/snapshot-queue.js';
import { CliError } from '../cli-error.js';
import { OPERATOR, withServices } from '../services.js';

export function snapshotCommand(): Command {
  return new Command('snapshot')
    .description('snapshot a registered cluster now (a running `reachlog worker` does it)')
    .argument('<name>')
    .option('--wait', 'block until the snapshot is stored and print its summary')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '600')
    .action((name: string, flags) =>
      withServices(async (s) => {
        const { jobId } = await s.admin.triggerSnapshot(OPERATOR, name);
        process.stdout.write(`queued snapshot job ${jobId} for ${name}\n`);
        if (!flags.wait) return;
        const queue = s.queue!;
        // Waiting on a queue nobody consumes would only end at the timeout: say why at once.
        if ((await queue.getWorkersCount()) === 0) {
          throw new CliError(
            `no worker is consuming the snapshot queue: start \`reachlog worker\` (job ${jobId} runs when one does)`,
            1,
          );
        }
        const job = await Job.fromId(queue, jobId);
        if (!job) throw new CliError(`snapshot job ${jobId} is no longer in the queue`, 1);
        const eventsConnection = createRedis();
        const events = createSnapshotQueueEvents(eventsConnection);
        try {
          const result = await job.waitUntilFinished(events, Number(flags.timeout) * 1000);
          process.stdout.write(
            `snapshot #${result.snapshotId}: ${result.status} in ${result.durationMs} ms; ${JSON.stringify(result.counts)}\n`,
          );
          for (const p of result.problems) process.stdout.write(`  left out: ${p}\n`);
        } catch (e) {
          throw new CliError(`snapshot job ${jobId} failed: ${(e as Error).message}`, 1);
        } finally {
          await events.close();
          eventsConnection.disconnect();
        }
      }),
    );
}
