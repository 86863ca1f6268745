import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { DEFAULT_PORT as DEMO_PORT } from '../../config/env.js';
import { REPO } from '../cli/run-cli.js';
import {
  API_PORT,
  STATUS_PORT,
  cliOptions,
  cliSubcommands,
  envDefault,
  envNamesReadByCode,
  optionDefault,
  readmeCommands,
} from './code-facts.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; timeout?: string };
  restart?: string;
}

const compose = parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const REACHLOG = ['migrate', 'api', 'worker'] as const;

/** Compose's `${NAME:-default}` interpolation, with nothing set in the environment. */
function interpolate(text: string): string {
  return text.replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_, _name: string, fallback: string) => fallback);
}

describe('docker-compose.yml', () => {
  test('postgres 16 and redis 7, each with a healthcheck that asks the server itself', () => {
    expect(services.postgres!.image).toMatch(/^postgres:16\b/);
    expect(services.postgres!.healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(services.redis!.image).toMatch(/^redis:7\b/);
    expect(services.redis!.healthcheck!.test.join(' ')).toContain('redis-cli ping');
  });

  test('state lives in named volumes, all declared', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const mount of service.volumes ?? []) {
        const source = mount.split(':')[0]!;
        expect(source, `${name} mounts ${mount}`).not.toMatch(/^[./~]/);
        expect(compose.volumes, `${name} mounts ${mount}`).toHaveProperty([source]);
      }
    }
    expect(services.postgres!.volumes!.some((v) => v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
  });

  test('migrate, api and worker run one image, built from deploy/Dockerfile', () => {
    const images = new Set(REACHLOG.map((s) => services[s]!.image));
    expect(images.size).toBe(1);
    for (const s of REACHLOG) {
      expect(services[s]!.build).toEqual({ context: '.', dockerfile: 'deploy/Dockerfile' });
    }
    expect(existsSync(join(REPO, 'deploy/Dockerfile'))).toBe(true);
  });

  test('their commands are real reachlog subcommands', () => {
    const commands = cliSubcommands();
    expect(services.migrate!.command).toEqual(['migrate']);
    expect(services.worker!.command).toEqual(['worker']);
    expect(services.api!.command).toEqual(['api', '--port', String(API_PORT)]);
    for (const s of REACHLOG) expect(commands).toContain(services[s]!.command![0]);
    expect(cliOptions('api')).toContain('--port');
  });

  test('the API port is the same in its command, the published port and the healthcheck', () => {
    expect(DEMO_PORT, 'npm run demo serves on the port reachlog api defaults to').toBe(API_PORT);
    expect(services.api!.ports!.map((p) => p.split(':').at(-1))).toEqual([String(API_PORT)]);
    const check = services.api!.healthcheck!.test.join(' ');
    expect(check).toContain(`:${API_PORT}/healthz`);
  });

  test("the worker's healthcheck asks its status server, which `reachlog worker` starts by default", () => {
    expect(services.worker!.command).not.toContain('--no-status');
    expect(services.worker!.command).not.toContain('--status-port');
    expect(services.worker!.healthcheck!.test.join(' ')).toContain(`//127.0.0.1:${STATUS_PORT}/healthz`);
  });

  test('host ports are ${REACHLOG_…_PORT:-default}, each default the container port, and named in the README', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const published = Object.entries(services).flatMap(([name, service]) =>
      (service.ports ?? []).map((mapping) => ({ name, mapping })),
    );
    expect(published.map((p) => p.name).sort()).toEqual(['api', 'postgres', 'redis']);
    for (const { name, mapping } of published) {
      const m = /^(?:(127\.0\.0\.1):)?\$\{(REACHLOG_[A-Z]+_PORT):-(\d+)\}:(\d+)$/.exec(mapping);
      expect(m, `${name}: ${mapping}`).not.toBeNull();
      const [, address, variable, fallback, containerPort] = m!;
      expect(fallback, name).toBe(containerPort);
      expect(readme, variable).toContain(variable);
      // Postgres and Redis have no password of their own worth the name: this machine only.
      if (name !== 'api') expect(address, name).toBe('127.0.0.1');
    }
    expect(interpolate(services.postgres!.ports![0]!)).toBe('127.0.0.1:5432:5432');
  });

  test('the README sets $TOKEN before a command uses it, in each block', () => {
    for (const heading of ['Quick start (a fresh machine with Node 20)', 'The API', 'Deploy']) {
      for (const block of readmeCommands(heading)) {
        const firstUse = block.findIndex((c) => c.includes('$TOKEN'));
        if (firstUse < 0) continue;
        const set = block.findIndex((c) => /^(export )?TOKEN=\$\(.* token create /.test(c));
        expect(set, block.join('\n')).toBeGreaterThanOrEqual(0);
        expect(set, block.join('\n')).toBeLessThan(firstUse);
      }
    }
    // Through compose, without a terminal: a TTY would end the secret with a carriage return.
    const viaCompose = readmeCommands('Deploy')
      .flat()
      .find((c) => c.startsWith('TOKEN=$(docker compose run'));
    expect(viaCompose).toMatch(/ run --rm -T worker token create /);
  });

  test("the quick start's DATABASE_URL and REDIS_URL reach compose's Postgres and Redis on the host ports it chose", () => {
    const pgEnv = services.postgres!.environment!;
    const blocks = readmeCommands('Quick start (a fresh machine with Node 20)');
    const checked = blocks.filter((block) => block.some((c) => c.includes('DATABASE_URL=')));
    expect(checked.length).toBeGreaterThan(0);
    for (const block of checked) {
      const text = block.join('\n');
      const hostPort = (variable: string, mapping: string) =>
        new RegExp(`${variable}=(\\d+)`).exec(text)?.[1] ?? interpolate(mapping).split(':')[1];
      const database = new URL(/DATABASE_URL=(\S+)/.exec(text)![1]!);
      expect(database.hostname, text).toBe('127.0.0.1');
      expect(database.port, text).toBe(hostPort('REACHLOG_POSTGRES_PORT', services.postgres!.ports![0]!));
      expect(database.username, text).toBe(pgEnv.POSTGRES_USER);
      expect(database.password, text).toBe(interpolate(pgEnv.POSTGRES_PASSWORD!));
      expect(database.pathname, text).toBe(`/${pgEnv.POSTGRES_DB}`);
      const redisUrl = /REDIS_URL=(\S+)/.exec(text)?.[1];
      const redisPort = hostPort('REACHLOG_REDIS_PORT', services.redis!.ports![0]!);
      // Without REDIS_URL, reachlog's default must be where compose publishes Redis.
      expect(new URL(redisUrl ?? envDefault('REDIS_URL')).port, text).toBe(redisPort);
    }
  });

  test('the demo serves this machine only unless told otherwise', () => {
    expect(optionDefault(['demo'], '--host')).toBe('127.0.0.1');
  });

  test('the environment is what the code reads, pointing at the compose services', () => {
    const read = envNamesReadByCode();
    for (const s of REACHLOG) {
      const env = services[s]!.environment!;
      expect(Object.keys(env).sort()).toEqual(['DATABASE_URL', 'REDIS_URL']);
      for (const name of Object.keys(env)) expect(read, name).toContain(name);
    }
    const database = new URL(interpolate(services.api!.environment!.DATABASE_URL!));
    const codeDefault = new URL(envDefault('DATABASE_URL'));
    const pgEnv = services.postgres!.environment!;
    expect(database.hostname).toBe('postgres');
    expect(database.port || '5432').toBe('5432');
    expect(database.pathname).toBe(codeDefault.pathname);
    expect(database.pathname).toBe(`/${pgEnv.POSTGRES_DB}`);
    expect(database.username).toBe(pgEnv.POSTGRES_USER);
    expect(database.password).toBe(interpolate(pgEnv.POSTGRES_PASSWORD!));

    const redis = new URL(services.api!.environment!.REDIS_URL!);
    const redisDefault = new URL(envDefault('REDIS_URL'));
    expect(redis.hostname).toBe('redis');
    expect(redis.port).toBe(redisDefault.port);
  });

  test('start order: migrate after a healthy postgres; api and worker after a finished migrate', () => {
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.migrate!.restart).toBe('no');
    for (const s of ['api', 'worker']) {
      expect(services[s]!.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    for (const service of Object.values(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition === 'service_healthy') expect(services[dependency]!.healthcheck).toBeDefined();
      }
    }
  });
});
