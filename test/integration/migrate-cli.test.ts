import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MIGRATION_LOCK } from '../../store/db/migrate.js';
import { REPO, runCliAsync } from '../cli/run-cli.js';
import { createTestDatabase, uncreatedTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * `reachlog migrate` as Kubernetes runs it: in the init container of every api and worker pod,
 * so several at once against one database, after an install (no database yet) or an upgrade.
 */

const MIGRATIONS = readdirSync(join(REPO, 'prisma/migrations'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const migrate = (url: string) => runCliAsync(['migrate'], { ...process.env, DATABASE_URL: url });

async function appliedMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1',
    );
    return rows.map((r) => r.migration_name);
  } finally {
    await client.end();
  }
}

const databases: Pick<TestDatabase, 'url' | 'drop'>[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe('reachlog migrate, several at once', () => {
  test('three at once on a fresh server: one creates the database, all succeed, each migration applied once', async () => {
    const db = uncreatedTestDatabase();
    databases.push(db);
    const runs = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    expect(runs.filter((r) => r.stdout.includes('created and migrated'))).toHaveLength(1);
    expect(await appliedMigrations(db.url)).toEqual(MIGRATIONS);
  }, 120_000);

  describe('while another holds the migration lock', () => {
    let db: TestDatabase;
    let holder: pg.Client;
    beforeAll(async () => {
      db = await createTestDatabase();
      databases.push(db);
      holder = new pg.Client({ connectionString: db.url });
      await holder.connect();
    });
    afterAll(async () => {
      await holder?.end();
    });

    test('it waits for the lock rather than failing, then finds nothing left to do', async () => {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      let finished = false;
      const run = migrate(db.url).finally(() => (finished = true));
      // Prisma's own lock gives up after 10 s: waiting longer shows this lock is the one waited on.
      await waitUntilWaiting(db.url);
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      expect(finished).toBe(false);
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      const r = await run;
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/: migrated$/m);
      expect(await appliedMigrations(db.url)).toEqual(MIGRATIONS);
    }, 120_000);
  });
});

/** Until a session of `url`'s database waits on the migration lock (the CLI starts slowly under load). */
async function waitUntilWaiting(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const { rowCount } = await client.query(
        `SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database
          WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`,
      );
      if (rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('no `reachlog migrate` came to wait for the migration lock within 60 s');
  } finally {
    await client.end();
  }
}
