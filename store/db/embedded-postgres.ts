import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { migrateDeploy } from './migrate.js';
import { SingleConnectionPool } from './single-connection-pool.js';

export interface EmbeddedPostgres {
  /** The data directory, absolute. */
  dataDir: string;
  /** postgresql://… of the in-process server: one connection at a time. */
  url: string;
  /** The one pool to use: every query of this process goes through its single connection. */
  pool: SingleConnectionPool;
  /** Ends the pool, the socket server and PGlite, and frees the data directory. */
  close(): Promise<void>;
}

export class DataDirInUseError extends Error {}

const LOCK_FILE = 'reachlog.pid';

/**
 * PGlite has no lock of its own, and two processes writing one data directory corrupt it: the
 * first process claims it with a pid file; a file whose process is gone is stale and taken over.
 */
function claimDataDir(dataDir: string): () => void {
  const lock = join(dataDir, LOCK_FILE);
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number(readFileSync(lock, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
      throw new DataDirInUseError(`${dataDir} is in use by process ${holder} (another reachlog demo or serve)`);
    }
    rmSync(lock, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PostgreSQL in this process (PGlite, WebAssembly), served over the wire protocol on a free
 * 127.0.0.1 port so the same pg code, and `prisma migrate deploy`, talk to it as to a server.
 * The socket server takes one connection at a time: this process uses `pool` and nothing else.
 */
export async function startEmbeddedPostgres(
  dir: string,
  options: { migrate?: boolean } = {},
): Promise<EmbeddedPostgres> {
  const dataDir = resolve(dir);
  mkdirSync(dataDir, { recursive: true });
  const unlock = claimDataDir(dataDir);
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create(join(dataDir, 'pgdata'));
    // The pool holds one connection, but pg replaces a connection after a failed query: the
    // second slot lets the new one in while the old one is still closing.
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
    // Runs before the pool connects: prisma's connection is the only one while it migrates.
    // (Tests start from a copy of a migrated directory and skip it.)
    if (options.migrate !== false) await migrateDeploy(url);
    const pool = new SingleConnectionPool({ connectionString: url });
    const [running, database] = [server, db];
    return {
      dataDir,
      url,
      pool,
      async close() {
        await pool.end();
        await running.stop();
        await database.close();
        unlock();
      },
    };
  } catch (e) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    unlock();
    throw e;
  }
}
