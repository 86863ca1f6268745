import pg from 'pg';
import { redact } from '../../config/redact.js';
import { env } from '../../config/env.js';
import { outageLog } from '../outage-log.js';

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
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  // A connection that cannot open in 5 s (a dropped network) fails the query, not waits forever.
  // An idle client's error (Postgres restarting, a network cut) would otherwise be an uncaught
  // 'error' event and kill the process; the pool drops that client and opens another when asked.
  const outage = outageLog(log);
  const report = (e: Error) => outage(`postgres: connection lost: ${redact(e.message)}`);
  pool.on('error', report);
  // A checked-out client has no pool listener: one held across a long step (the worker's job
  // lock, a snapshot transaction while the engine computes) would crash the process the same
  // way. Its next query fails instead, and whoever holds it rolls back and retries.
  pool.on('connect', (client) => {
    client.on('error', report);
    outage.recovered('postgres: connected again');
  });
  return pool;
}
