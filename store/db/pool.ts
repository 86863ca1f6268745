import pg from 'pg';
import { redact } from '../../config/redact.js';
import { env } from '../../config/env.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** What a repository queries through: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

const stderrLine = (line: string) => void process.stderr.write(`${line}\n`);

/**
 * One pool per process; every query of every process goes through one of these (see
 * ARCHITECTURE.md: pg for queries, Prisma for migrations only).
 */
export function createPool(url: string = env().databaseUrl, log: (line: string) => void = stderrLine): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 30_000 });
  // An idle client's error (Postgres restarting, a network cut) would otherwise be an uncaught
  // 'error' event and kill the process; the pool drops that client and opens another when asked.
  let reported = '';
  pool.on('error', (e: Error) => {
    if (e.message !== reported) log(`postgres: idle connection lost: ${redact(e.message)}`);
    reported = e.message;
  });
  return pool;
}
