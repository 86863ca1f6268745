import { afterEach, describe, expect, test, vi } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_URL, DEFAULT_PORT, DEFAULT_REDIS_URL, env, parseEnv } from '../../config/env.js';
import { runCliAsync } from '../cli/run-cli.js';

const errorOf = (source: Record<string, string>) => {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('parsed');
};

describe('parseEnv', () => {
  test('nothing set: the local services, port 8080, the local API; empty means unset', () => {
    for (const source of [{}, { DATABASE_URL: '', REDIS_URL: '', PORT: '', REACHLOG_JOB_LOCK_MS: '' }]) {
      expect(parseEnv(source)).toEqual({
        databaseUrl: DEFAULT_DATABASE_URL,
        redisUrl: DEFAULT_REDIS_URL,
        databaseUrlFromEnv: false,
        redisUrlFromEnv: false,
        port: DEFAULT_PORT,
        jobLockMs: undefined,
        apiUrl: 'http://127.0.0.1:8080',
        apiToken: undefined,
        secretKey: undefined,
        publicUrl: 'http://127.0.0.1:8080',
        manifestsRoot: undefined,
        trustProxyHops: 0,
        metricsToken: undefined,
        kubernetesService: undefined,
      });
    }
  });

  test('typed values: numbers as numbers, the API found on PORT unless REACHLOG_API_URL says where', () => {
    const onPort = parseEnv({ PORT: '9090', REACHLOG_JOB_LOCK_MS: '2500', REACHLOG_TOKEN: 'rl_x' });
    expect(onPort).toMatchObject({ port: 9090, jobLockMs: 2500, apiUrl: 'http://127.0.0.1:9090' });
    expect(onPort.apiToken).toBe('rl_x');
    expect(parseEnv({ PORT: '9090', REACHLOG_API_URL: 'https://audit.example/' }).apiUrl).toBe('https://audit.example');
    expect(parseEnv({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }).kubernetesService).toEqual(
      {
        host: '10.0.0.1',
        port: 443,
      },
    );
    // One of the two is not a pod's environment.
    expect(parseEnv({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }).kubernetesService).toBeUndefined();
    // Set to the default is still set: `demo` then uses that server or says it does not answer.
    const named = parseEnv({ DATABASE_URL: DEFAULT_DATABASE_URL, REDIS_URL: 'redis://cache:6379' });
    expect([named.databaseUrlFromEnv, named.redisUrlFromEnv]).toEqual([true, true]);
  });

  test('a bad value is one line naming the variable, its value and what was expected', () => {
    expect(errorOf({ REACHLOG_JOB_LOCK_MS: 'abc' })).toBe(
      'REACHLOG_JOB_LOCK_MS: "abc" is not a whole number of milliseconds',
    );
    expect(errorOf({ REACHLOG_JOB_LOCK_MS: '500' })).toBe(
      'REACHLOG_JOB_LOCK_MS: "500" is not within 1000-3600000 milliseconds',
    );
    expect(parseEnv({ REACHLOG_MANIFESTS_ROOT: '/srv/manifests' }).manifestsRoot).toBe('/srv/manifests');
    expect(parseEnv({ REACHLOG_TRUST_PROXY_HOPS: '1' }).trustProxyHops).toBe(1);
    expect(errorOf({ REACHLOG_TRUST_PROXY_HOPS: '11' })).toBe(
      'REACHLOG_TRUST_PROXY_HOPS: "11" is not within 0-10 proxies',
    );
    expect(errorOf({ REACHLOG_MANIFESTS_ROOT: 'manifests' })).toBe(
      'REACHLOG_MANIFESTS_ROOT: "manifests" is not an absolute path',
    );
    expect(errorOf({ PORT: '80a' })).toBe('PORT: "80a" is not a port number (1-65535)');
    expect(errorOf({ PORT: '70000' })).toBe('PORT: "70000" is not a port number (1-65535)');
    expect(errorOf({ KUBERNETES_SERVICE_PORT: 'https' })).toBe(
      'KUBERNETES_SERVICE_PORT: "https" is not a port number (1-65535)',
    );
    expect(errorOf({ REDIS_URL: 'localhost:6379' })).toBe('REDIS_URL: "localhost:6379" is not a redis:// URL');
    expect(errorOf({ REACHLOG_API_URL: 'ftp://x' })).toBe('REACHLOG_API_URL: "ftp://x" is not an http(s) URL');
  });

  test('REACHLOG_SECRET_KEY: 32 bytes as hex or base64, anything else refused; the public URL defaults to the API', () => {
    const hex = 'ab'.repeat(32);
    expect(parseEnv({ REACHLOG_SECRET_KEY: hex }).secretKey).toEqual(Buffer.alloc(32, 0xab));
    expect(parseEnv({ REACHLOG_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).secretKey).toEqual(
      Buffer.alloc(32, 7),
    );
    expect(() => parseEnv({ REACHLOG_SECRET_KEY: 'short' })).toThrow(/REACHLOG_SECRET_KEY: .* is not 32 bytes/);
    expect(parseEnv({ REACHLOG_PUBLIC_URL: 'https://reachlog.example/' }).publicUrl).toBe('https://reachlog.example');
  });

  test('a metrics token too short to be safe is refused without showing it', () => {
    expect(errorOf({ REACHLOG_METRICS_TOKEN: 'hunter2' })).toBe(
      'REACHLOG_METRICS_TOKEN: the value given is shorter than 16 characters: a metrics token must not be guessable',
    );
    expect(parseEnv({ REACHLOG_METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32));
  });

  test('a bad URL is shown without its password', () => {
    const line = errorOf({ DATABASE_URL: 'mysql://reachlog:hunter2@db/reachlog' });
    expect(line).toBe('DATABASE_URL: "mysql://[redacted]@db/reachlog" is not a postgresql:// URL');
  });
});

describe('env()', () => {
  afterEach(() => vi.unstubAllEnvs());

  test('reads process.env once, and again only when a variable changed', () => {
    vi.stubEnv('PORT', '8181');
    const first = env();
    expect(env()).toBe(first);
    expect(first.port).toBe(8181);
    vi.stubEnv('PORT', '8282');
    expect(env().port).toBe(8282);
  });
});

describe('the CLI on a bad variable', () => {
  test('stops at start-up with the one line, exit 2, no stack', async () => {
    const r = await runCliAsync(['worker'], { ...process.env, REACHLOG_JOB_LOCK_MS: 'abc' });
    expect(r.stderr).toBe('reachlog: REACHLOG_JOB_LOCK_MS: "abc" is not a whole number of milliseconds\n');
    expect(r.status).toBe(2);
  });
});
