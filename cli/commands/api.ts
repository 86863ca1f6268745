import { Command } from 'commander';
import { env } from '../../config/env.js';
import { parseWholeNumber } from '../../arguments/whole-number.js';
import { cliArgument } from '../argument.js';

export function apiCommand(): Command {
  return new Command('api')
    .description('serve the REST (/api/v1) and GraphQL (/graphql) API until SIGTERM/SIGINT (DATABASE_URL, REDIS_URL)')
    .option('--port <port>', 'TCP port (0: any; unset: PORT)', '8080')
    .option('--host <address>', 'address to listen on', '0.0.0.0')
    .option('--rate-limit <n>', 'requests per minute per token', '600')
    .option(
      '--metrics-port <port>',
      'serve /metrics (Prometheus) on this port, without a token (0: any free one; unset: none, ' +
        'and /metrics on the API port only with REACHLOG_METRICS_TOKEN as bearer token)',
    )
    .action(
      async (flags: { port: string; host: string; rateLimit: string; metricsPort?: string }, command: Command) => {
        // An explicit --port wins; else PORT, as `demo` and `who-can-reach` read it.
        const given = command.getOptionValueSource('port') !== 'default';
        const port = given ? cliArgument(() => parseWholeNumber(flags.port, '--port', 0, 65_535)) : env().port;
        const limit = cliArgument(() => parseWholeNumber(flags.rateLimit, '--rate-limit', 1, 1_000_000));
        const metricsFlag = flags.metricsPort;
        const metricsPort =
          metricsFlag === undefined
            ? undefined
            : cliArgument(() => parseWholeNumber(metricsFlag, '--metrics-port', 0, 65_535));
        // Loaded here: other commands need not pay for Express, Apollo and the query service.
        const { startApiServer } = await import('../../api/server.js');
        const { metricsToken } = env();
        const api = await startApiServer({
          port,
          host: flags.host,
          limits: { rate: { windowMs: 60_000, limit } },
          ...(metricsPort === undefined ? {} : { metricsPort }),
          ...(metricsToken ? { metricsToken } : {}),
        });
        const metrics = [
          ...(api.metricsPort === undefined ? [] : [`/metrics on port ${api.metricsPort}`]),
          ...(metricsToken ? [`/metrics with the metrics token on port ${api.port}`] : []),
        ];
        process.stdout.write(
          `reachlog api: listening on ${flags.host}:${api.port}${metrics.length ? `, ${metrics.join(', ')}` : ''}\n`,
        );
        await new Promise<void>((resolve) => {
          let stopping = false;
          const stop = () => {
            // Kept registered until closed: a second signal (or one re-sent by a library's own
            // handler, as Apollo's is) must not kill the process while requests drain.
            if (stopping) return;
            stopping = true;
            process.stdout.write('reachlog api: stopping (finishing requests in flight)\n');
            void api.close().then(() => {
              process.off('SIGTERM', stop);
              process.off('SIGINT', stop);
              resolve();
            });
          };
          process.on('SIGTERM', stop);
          process.on('SIGINT', stop);
        });
      },
    );
}
