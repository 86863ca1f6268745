import { Command } from 'commander';
import { env } from '../../config/env.js';
import { DEFAULT_STATUS_PORT, startStatusServer, startWorker } from '../../worker/index.js';
import { parseWholeNumber } from '../../arguments/whole-number.js';
import { cliArgument } from '../argument.js';
import { CliError } from '../cli-error.js';
import { checkPostgres, checkRedis } from '../choose-services.js';

export function workerCommand(): Command {
  return new Command('worker')
    .description('run the snapshot workers until SIGTERM/SIGINT (the current job is finished or handed back)')
    .option('--concurrency <n>', 'clusters snapshotted at once', '2')
    .option(
      '--status-port <port>',
      'serve /healthz, /readyz (Postgres and Redis) and /metrics (Prometheus) on this port, all addresses, without a token (0: any free one)',
      String(DEFAULT_STATUS_PORT),
    )
    .option('--no-status', 'serve no /healthz, /readyz and /metrics')
    .action(async (flags: { concurrency: string; statusPort: string; status: boolean }) => {
      const port = cliArgument(() => parseWholeNumber(flags.statusPort, '--status-port', 0, 65_535));
      const concurrency = cliArgument(() => parseWholeNumber(flags.concurrency, '--concurrency', 1, 64));
      // It would wait for Redis forever at start, saying only that it reconnects: refuse instead.
      await checkPostgres(env().databaseUrl);
      await checkRedis(env().redisUrl);
      const running = await startWorker({ concurrency, lockDurationMs: env().jobLockMs });
      const status = flags.status
        ? await startStatusServer({
            port,
            readiness: running.readiness,
            metrics: running.metrics.registry,
            detail: async () => ({ overdue: await running.overdue() }),
          }).catch(async (e: unknown) => {
            await running.close();
            const inUse = (e as { code?: string }).code === 'EADDRINUSE';
            throw inUse ? new CliError(`--status-port ${port} is in use: choose another, or --no-status`, 1) : e;
          })
        : undefined;
      const serving = status ? `, /healthz, /readyz and /metrics on port ${status.port}` : '';
      process.stdout.write(`reachlog worker: running (concurrency ${concurrency}${serving})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.stdout.write('reachlog worker: stopping after the current job\n');
          // The status server answers until the end: a probe during the last job sees a live process.
          void running
            .close()
            .then(() => status?.close())
            .then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
