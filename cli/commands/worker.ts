import { Command } from 'commander';
import { startWorker } from '../../worker/index.js';
import { env } from '../../config/env.js';

export function workerCommand(): Command {
  return new Command('worker')
    .description('run the snapshot workers until SIGTERM/SIGINT (the current job is finished or handed back)')
    .option('--concurrency <n>', 'clusters snapshotted at once', '2')
    .action(async (flags) => {
      const running = await startWorker({ concurrency: Number(flags.concurrency), lockDurationMs: env().jobLockMs });
      process.stdout.write(`reachlog worker: running (concurrency ${flags.concurrency})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.stdout.write('reachlog worker: stopping after the current job\n');
          void running.close().then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
