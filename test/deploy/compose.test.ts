import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { DEFAULT_PORT as DEMO_PORT } from '../../config/env.js';
import { REPO } from '../cli/run-cli.js';
import { API_PORT, cliOptions, cliSubcommands, envDefault, envNamesReadByCode } from './code-facts.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
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
