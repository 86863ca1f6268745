import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureDatabase, migrateDeploy } from '../../worker/store/migrate.js';

export interface TestDatabase {
  /** A connection string for the new database, for DATABASE_URL or createPool/createPrisma. */
  url: string;
  /** Ends every session still connected (a killed worker's, a leaked pool's) and drops the database. */
  drop(): Promise<void>;
}

const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function urlFor(name: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function asAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A name for a database that does not exist yet (for tests of creating it), dropped by drop(). */
export function uncreatedTestDatabase(): TestDatabase {
  const name = `reachlog_test_${randomBytes(6).toString('hex')}`;
  return { url: urlFor(name), drop: () => dropDatabase(name) };
}

/** A fresh database with the real migrations applied, so parallel test files never share rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `reachlog_test_${randomBytes(6).toString('hex')}`;
  const url = urlFor(name);
  await ensureDatabase(url);
  try {
    migrateDeploy(url);
  } catch (e) {
    await dropDatabase(name);
    throw e;
  }
  return { url, drop: () => dropDatabase(name) };
}

async function dropDatabase(name: string): Promise<void> {
  await asAdmin(async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
