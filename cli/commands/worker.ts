import { Command } from 'commander';
import { startWorker } from '../../worker/index.js';
import { CliError } from '../cli-error.js';

/** REACHLOG_JOB_LOCK_MS: how soon a crashed worker's job is retried (default 30 s; tests use less). */
function lockDurationMs(): number | undefined {
  const text = process.env.REACHLOG_JOB_LOCK_MS;
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 1_000) {
    throw new CliError(`REACHLOG_JOB_LOCK_MS ${JSON.stringify(text)}: expected whole milliseconds, at least 1000`);
  }
  return ms;
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('run the snapshot workers until SIGTERM/SIGINT (the current job is finished or handed back)')
    .option('--concurrency <n>', 'clusters snapshotted at once', '2')
    .action(async (flags) => {
      const running = await startWorker({ concurrency: Number(flags.concurrency), lockDurationMs: lockDurationMs() });
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
