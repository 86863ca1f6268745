import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { PACKAGE_ROOT as REPO } from '../../package-root.js';
import { databaseUrl } from './database-url.js';

/** Creates the database named in the URL when it is missing (a fresh machine, the demo). */
export async function ensureDatabase(url: string = databaseUrl()): Promise<boolean> {
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

/** Applies prisma/migrations with `prisma migrate deploy` (the JS engine: no native download). */
export function migrateDeploy(url: string = databaseUrl()): void {
  const r = spawnSync(process.execPath, [`${REPO}/node_modules/prisma/build/index.js`, 'migrate', 'deploy'], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    const detail = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .filter((l) => /error/i.test(l))
      .slice(0, 5)
      .join('\n');
    throw new Error(`database migration failed: ${detail || `prisma exited with ${r.status}`}`);
  }
}
