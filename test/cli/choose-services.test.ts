import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chooseServices } from '../../cli/choose-services.js';
import { CliError } from '../../cli/cli-error.js';
import { freePort } from '../support/free-port.js';

/** Something that accepts connections (and says nothing), standing in for "a service answers here". */
let listener: Server;
let answering: number;
let silentPg: string;
let silentRedis: string;

beforeAll(async () => {
  listener = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  answering = (listener.address() as { port: number }).port;
  silentPg = `postgresql://postgres@127.0.0.1:${await freePort()}/reachlog`;
  silentRedis = `redis://127.0.0.1:${await freePort()}`;
});

afterAll(() => new Promise((resolve) => listener.close(resolve)));

async function failure(call: Promise<unknown>): Promise<CliError> {
  const e = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

describe('the demo chooses its services', () => {
  test('nothing configured and nothing on the default ports: embedded', async () => {
    const services = await chooseServices({
      databaseUrl: undefined,
      redisUrl: undefined,
      defaults: { databaseUrl: silentPg, redisUrl: silentRedis },
      embedded: false,
    });
    expect(services).toEqual({ kind: 'embedded' });
  });

  test('nothing configured, local Postgres and Redis answering: those, as before', async () => {
    const defaults = {
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
      redisUrl: 'redis://127.0.0.1:6379',
    };
    const services = await chooseServices({ databaseUrl: undefined, redisUrl: undefined, defaults, embedded: false });
    expect(services).toEqual({ kind: 'external', ...defaults });
  });

  test('DATABASE_URL set but down: a one-line error naming it, not a silent fallback', async () => {
    const e = await failure(
      chooseServices({
        databaseUrl: silentPg,
        redisUrl: undefined,
        defaults: { databaseUrl: silentPg, redisUrl: silentRedis },
        embedded: false,
      }),
    );
    expect(e.message).toMatch(/^cannot reach Postgres at 127\.0\.0\.1:\d+ \(DATABASE_URL\): .*; start it/);
    expect(e.message).not.toContain('\n');
  });

  test('only one of the default ports answers: an error that says which, and how to choose', async () => {
    const e = await failure(
      chooseServices({
        databaseUrl: undefined,
        redisUrl: undefined,
        defaults: { databaseUrl: `postgresql://postgres@127.0.0.1:${answering}/reachlog`, redisUrl: silentRedis },
        embedded: false,
      }),
    );
    expect(e.message).toMatch(/^Postgres answers on 127\.0\.0\.1:\d+ but nothing does as Redis on 127\.0\.0\.1:\d+/);
    expect(e.message).toContain('--embedded');
  });

  test('--embedded with DATABASE_URL set: an error, not one of them silently ignored', async () => {
    const e = await failure(
      chooseServices({
        databaseUrl: silentPg,
        redisUrl: undefined,
        defaults: { databaseUrl: silentPg, redisUrl: silentRedis },
        embedded: true,
      }),
    );
    expect(e.message).toBe('--embedded uses neither Postgres nor Redis: unset DATABASE_URL');
  });
});
