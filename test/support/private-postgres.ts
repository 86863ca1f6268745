import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

/**
 * A Postgres server of a test's own, on a free loopback port with its data in a temp dir, that
 * the test may restart or stop (the shared one on 5432 must never be). Debian's binaries; as
 * root (CI containers), the server runs as the `postgres` user, since initdb refuses root.
 */
export interface PrivatePostgres {
  port: number;
  /** A URL for the database `name` (default `postgres`) on this server. */
  url(name?: string): string;
  /** `pg_ctl restart -m fast`: every session is terminated (57P01), the server is back when this resolves. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`: connections are refused until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data. */
  destroy(): Promise<void>;
}

const BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** The `postgres` user's uid and gid when running as root, else undefined (run as ourselves). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root and there is no postgres user to run a private Postgres as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export function privatePostgresAvailable(): boolean {
  return existsSync(join(BIN, 'pg_ctl')) && existsSync(join(BIN, 'initdb'));
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'reachlog-private-pg-'));
  const data = join(dir, 'data');
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (bin: string, args: string[]) =>
    promisify(execFile)(join(BIN, bin), args, { cwd: dir, ...(user ?? {}), encoding: 'utf8' });
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--no-instructions']);
  const port = await freePort();
  // No fsync: a test's data need not survive a power cut. The socket dir is ours, not /run/postgresql.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off`;
  const pgCtl = (...args: string[]) => run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', ...args]);
  await pgCtl('-o', options, 'start');
  return {
    port,
    url: (name = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${name}`,
    restart: async () => void (await pgCtl('-m', 'fast', '-o', options, 'restart')),
    stop: async () => void (await pgCtl('-m', 'fast', 'stop')),
    start: async () => void (await pgCtl('-o', options, 'start')),
    async destroy() {
      await pgCtl('-m', 'immediate', 'stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
