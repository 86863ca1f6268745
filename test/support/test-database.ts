import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../store/db/embedded-postgres.js';
import { ensureDatabase, migrateDeploy } from '../../store/db/migrate.js';
import { createPool } from '../../store/db/pool.js';

/** The stores the integration tests for snapshots and queries run against: real Postgres, and embedded PGlite. */
export type DatabaseKind = 'postgres' | 'pglite';
export const DATABASE_KINDS: readonly DatabaseKind[] = ['postgres', 'pglite'];
/** For a beforeAll creating a PGlite database: the first one migrates a template (10-30 s on a busy machine). */
export const PGLITE_SETUP_MS = 180_000;

export interface TestDatabase {
  kind: DatabaseKind;
  /**
   * A connection string for the new database, for DATABASE_URL or createPool.
   * PGlite's takes one connection at a time: use `pool()` there.
   */
  url: string;
  /** A pool over the database, opened once and ended by drop() (PGlite's is its one connection). */
  pool(): pg.Pool;
  /** Runs code that holds a client while taking another (the demo replay, the processor) as the embedded mode does. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Closes the connections, ends every session still connected and drops the database. */
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
export function uncreatedTestDatabase(): Pick<TestDatabase, 'url' | 'drop'> {
  const name = `reachlog_test_${randomBytes(6).toString('hex')}`;
  return { url: urlFor(name), drop: () => dropDatabase(name) };
}

/** A fresh database with the real migrations applied, so parallel test files never share rows. */
export async function createTestDatabase(kind: DatabaseKind = 'postgres'): Promise<TestDatabase> {
  return kind === 'pglite' ? createPgliteDatabase() : createPostgresDatabase();
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `reachlog_test_${randomBytes(6).toString('hex')}`;
  const url = urlFor(name);
  await ensureDatabase(url);
  try {
    await migrateDeploy(url);
  } catch (e) {
    await dropDatabase(name);
    throw e;
  }
  let opened: pg.Pool | undefined;
  return {
    kind: 'postgres',
    url,
    pool: () => (opened ??= createPool(url)),
    exclusive: (fn) => fn(),
    async drop() {
      await opened?.end();
      await dropDatabase(name);
    },
  };
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

const MIGRATIONS = new URL('../../prisma/migrations/', import.meta.url);

/**
 * A PGlite data directory migrated by `prisma migrate deploy` once per set of migrations, then
 * copied for each test database: migrating takes 10-30 s here, a copy well under one.
 */
async function migratedTemplate(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of readdirSync(MIGRATIONS).sort()) {
    const file = new URL(`${dir}/migration.sql`, MIGRATIONS);
    if (existsSync(file)) hash.update(dir).update(readFileSync(file));
  }
  const template = join(tmpdir(), `reachlog-pglite-template-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(template)) return template;
  const building = mkdtempSync(`${template}-building-`);
  const db = await startEmbeddedPostgres(building);
  await db.close();
  try {
    renameSync(building, template);
  } catch {
    // Another test file finished its template first: the same migrations, so use that one.
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'reachlog-test-pglite-'));
  cpSync(await migratedTemplate(), dir, { recursive: true });
  const db = await startEmbeddedPostgres(dir, { migrate: false });
  return {
    kind: 'pglite',
    url: db.url,
    pool: () => db.pool,
    exclusive: (fn) => db.pool.exclusive(fn),
    async drop() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
