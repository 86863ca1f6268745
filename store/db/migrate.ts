import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { childEnv, env } from '../../config/env.js';
import { PACKAGE_ROOT as REPO } from '../../package-root.js';

/** Creates the database named in the URL when it is missing (a fresh machine, the demo). */
export async function ensureDatabase(url: string = env().databaseUrl): Promise<boolean> {
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
