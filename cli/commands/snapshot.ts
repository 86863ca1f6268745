import { Command } from 'commander';
import { createRedis } from '../../store/queue/redis-connection.js';
import { createSnapshotQueueEvents, enqueueSnapshot } from '../../store/queue/snapshot-queue.js';
import { CliError } from '../cli-error.js';
import { withServices } from '../services.js';

export function snapshotCommand(): Command {
  return new Command('snapshot')
    .description('snapshot a registered cluster now (a running `reachlog worker` does it)')
    .argument('<name>')
    .option('--wait', 'block until the snapshot is stored and print its summary')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '600')
    .action((name: string, flags) =>
      withServices(async (s) => {
        const c = await s.clusters.findByName(name);
        if (!c) throw new CliError(`no cluster named ${name} (reachlog cluster list shows them)`, 1);
        const job = await enqueueSnapshot(s.queue, c.id);
        process.stdout.write(`queued snapshot job ${job.id} for ${name}\n`);
        if (!flags.wait) return;
        const eventsConnection = createRedis();
        const events = createSnapshotQueueEvents(eventsConnection);
        try {
          const result = await job.waitUntilFinished(events, Number(flags.timeout) * 1000);
          process.stdout.write(
            `snapshot #${result.snapshotId}: ${result.status} in ${result.durationMs} ms; ${JSON.stringify(result.counts)}\n`,
          );
          for (const p of result.problems) process.stdout.write(`  left out: ${p}\n`);
        } catch (e) {
          throw new CliError(`snapshot job ${job.id} failed: ${(e as Error).message}`, 1);
        } finally {
          await events.close();
          eventsConnection.disconnect();
        }
      }),
    );
}
