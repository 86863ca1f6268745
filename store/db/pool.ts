import pg from 'pg';
import { databaseUrl } from './database-url.js';

/** One pool per process; COPY and temporal writes go through it, simple CRUD through Prisma. */
export function createPool(url: string = databaseUrl()): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 30_000 });
}
