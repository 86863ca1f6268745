import { Socket } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CliError } from './cli-error.js';
import { redact } from '../config/redact.js';

/** Real Postgres and Redis, or the embedded store and in-process jobs. */
export type Services = { kind: 'external'; databaseUrl: string; redisUrl: string } | { kind: 'embedded' };

export interface ServiceSettings {
  /** DATABASE_URL and REDIS_URL as set; undefined when not set. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Where to look when they are not set: the local services docker-compose provides. */
  defaults: { databaseUrl: string; redisUrl: string };
  /** --embedded: no probing, no external services. */
  embedded: boolean;
}

const START_THEM = 'start it, e.g. `docker compose up -d postgres redis`';

/**
 * Configured services are used or reported, never replaced: a DATABASE_URL that does not
 * answer is an error, not a reason to fall back. Only with nothing configured and nothing
 * answering on the default ports does the demo run embedded.
 */
export async function chooseServices(s: ServiceSettings): Promise<Services> {
  if (s.embedded) {
    const set = [s.databaseUrl && 'DATABASE_URL', s.redisUrl && 'REDIS_URL'].filter(Boolean);
    if (set.length > 0) throw new CliError(`--embedded uses neither Postgres nor Redis: unset ${set.join(' and ')}`);
    return { kind: 'embedded' };
  }
  if (s.databaseUrl === undefined && s.redisUrl === undefined) {
    const [postgres, redis] = await Promise.all([answers(s.defaults.databaseUrl), answers(s.defaults.redisUrl)]);
    if (!postgres && !redis) return { kind: 'embedded' };
    if (!postgres || !redis) {
      const [up, down] = postgres
        ? [`Postgres answers on ${where(s.defaults.databaseUrl)}`, `Redis on ${where(s.defaults.redisUrl)}`]
        : [`Redis answers on ${where(s.defaults.redisUrl)}`, `Postgres on ${where(s.defaults.databaseUrl)}`];
      throw new CliError(
        `${up} but nothing does as ${down}: start it, set DATABASE_URL and REDIS_URL, or run with --embedded`,
      );
    }
  }
  const databaseUrl = s.databaseUrl ?? s.defaults.databaseUrl;
  const redisUrl = s.redisUrl ?? s.defaults.redisUrl;
  await checkPostgres(databaseUrl);
  await checkRedis(redisUrl);
  return { kind: 'external', databaseUrl, redisUrl };
}

/** Where a URL points, without its password. */
export function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

/** Whether anything accepts a TCP connection at the URL's host and port. */
function answers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol.startsWith('redis') ? 6379 : 5432));
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, u.hostname.replace(/^\[|\]$/g, ''), () => done(true));
  });
}

/** A refused connection is the demo's most likely first problem: say what to start, not a stack. */
export async function checkPostgres(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (e) {
    throw new CliError(
      `cannot reach Postgres at ${where(url)} (DATABASE_URL): ${redact((e as Error).message)}; ${START_THEM}`,
      1,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // Reported below, once: the first error says why (ECONNREFUSED), the rejection only "closed".
  let first: Error | undefined;
  redis.on('error', (e: Error) => (first ??= e));
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    const why = redact((first ?? (e as Error)).message);
    throw new CliError(`cannot reach Redis at ${where(url)} (REDIS_URL): ${why}; ${START_THEM}`, 1);
  } finally {
    redis.disconnect();
  }
}
