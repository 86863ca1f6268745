import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { childEnv, env } from '../../config/env.js';
import { PACKAGE_ROOT as REPO } from '../../package-root.js';

/** duplicate_database, and the unique index on pg_database a concurrent CREATE DATABASE can hit. */
const CREATED_MEANWHILE = new Set(['42P04', '23505']);

/**
 * Whether the database answers, asked of the database itself: a managed server may not let the
 * application's user into its `postgres` database, where creating one has to start.
 */
async function exists(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === '3D000') return false; // invalid_catalog_name
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database named in the URL when it is missing (a fresh machine, the demo). */
export async function ensureDatabase(url: string = env().databaseUrl): Promise<boolean> {
  if (await exists(url)) return false;
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (e) {
    // Another `reachlog migrate` (a second pod's) created it between the check and ours.
    if (CREATED_MEANWHILE.has((e as { code?: string }).code ?? '')) return false;
    throw e;
  } finally {
    await client.end();
  }
}

/**
 * Applies prisma/migrations with `prisma migrate deploy` (the JS engine: no native download).
 * Asynchronous: the embedded Postgres answers from this process's event loop while prisma runs.
 */
export async function migrateDeploy(url: string = env().databaseUrl): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [`${REPO}/node_modules/prisma/build/index.js`, 'migrate', 'deploy'], {
      cwd: REPO,
      env: childEnv({ DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1' }),
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
  } catch (e) {
    const failed = e as { stdout?: string; stderr?: string; code?: unknown };
    const detail = `${failed.stdout ?? ''}\n${failed.stderr ?? ''}`
      .split('\n')
      .filter((l) => /error/i.test(l))
      .slice(0, 5)
      .join('\n');
    throw new Error(`database migration failed: ${detail || `prisma exited with ${String(failed.code)}`}`, {
      cause: e,
    });
  }
}

/** The session-level advisory lock `reachlog migrate` holds: a number no other lock here uses. */
export const MIGRATION_LOCK = 7_265_616_368;

/**
 * Runs `work` while holding an advisory lock in the database, so that migrations started at once
 * (every pod's init container after an upgrade) run one after another and the later ones find
 * nothing left to do. Prisma takes a lock of its own but gives up on it after 10 s; this one
 * waits. Not for the embedded database, which serves one connection at a time.
 */
export async function withMigrationLock<T>(url: string, work: () => T | Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work();
  } finally {
    // Ending the session releases the lock, also when the unlock itself fails.
    await client.end();
  }
}
