import { Command } from 'commander';
import type { RunningApi } from '../../api/server.js';
import { TokensRepository } from '../../store/tokens.repository.js';
import { parseWholeNumber } from '../../arguments/whole-number.js';
import { cliArgument } from '../argument.js';
import { DEFAULT_DATA_DIR, startEmbeddedStack } from '../embedded-stack.js';
import { untilSignal } from '../until-signal.js';

/** The admin token `serve --embedded` replaces at each start: no other process can reach its store to make one. */
const TOKEN_NAME = 'serve';

interface ServeFlags {
  embedded?: boolean;
  dataDir: string;
  port: string;
  host: string;
}

async function serve(flags: ServeFlags): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const port = cliArgument(() => parseWholeNumber(flags.port, '--port', 0, 65_535));
  // Loaded here: other commands need not pay for Express, Apollo and the query service.
  const { startApiServer } = await import('../../api/server.js');
  if (!flags.embedded) {
    const { startWorker } = await import('../../worker/index.js');
    const worker = await startWorker({ log: (line) => out(`reachlog serve: worker: ${line}`) });
    let api: RunningApi | undefined;
    try {
      api = await startApiServer({ port, host: flags.host });
      out(`reachlog serve: API on ${api.url}, worker running (DATABASE_URL, REDIS_URL)`);
      await untilSignal();
      out('reachlog serve: stopping (requests in flight, then the current job)');
    } finally {
      await api?.close();
      await worker.close();
    }
    return;
  }
  const stack = await startEmbeddedStack(flags.dataDir, (line) => out(`reachlog serve: worker: ${line}`));
  let api: RunningApi | undefined;
  try {
    const { pool } = stack.postgres;
    api = await startApiServer({
      port,
      host: flags.host,
      connections: { pool, redis: null, jobs: stack.jobs },
    });
    const tokens = new TokensRepository(pool);
    await tokens.revoke(TOKEN_NAME);
    const { secret } = await tokens.create(TOKEN_NAME, 'admin', null);
    out(`reachlog serve: embedded PGlite in ${stack.postgres.dataDir} (one process, one user; no Redis)`);
    out(`reachlog serve: API on ${api.url}, snapshot jobs in this process`);
    out(`reachlog serve: admin token for this run (the next start replaces it): export TOKEN=${secret}`);
    await untilSignal();
    out('reachlog serve: stopping (requests in flight, then the current job)');
  } finally {
    await api?.close();
    await stack.close();
  }
}

export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'serve the API and run snapshot jobs in one process until SIGTERM/SIGINT ' +
        '(DATABASE_URL, REDIS_URL; --embedded: neither, data in --data-dir)',
    )
    .option('--embedded', 'PGlite in --data-dir instead of Postgres, jobs in this process instead of Redis (one user)')
    .option('--data-dir <dir>', 'where --embedded keeps its database', DEFAULT_DATA_DIR)
    .option('--port <port>', 'TCP port (0: any free one)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .action(serve);
}
