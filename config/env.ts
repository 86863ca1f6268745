import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { redact } from './redact.js';

export { ConfigError };

/**
 * Every environment variable reachlog reads, parsed and validated here and nowhere else: the
 * rest of the code imports `env()` and gets typed values. A bad value stops the process with
 * one line naming the variable (`REACHLOG_JOB_LOCK_MS: "abc" is not a whole number of milliseconds`).
 */

/** The local Postgres these machines (and docker-compose) provide. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/reachlog';
/** The local Redis these machines (and docker-compose) provide. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** The API's port when PORT is not set; deploy/ and docker-compose.yml use it too. */
export const DEFAULT_PORT = 8080;

/** An empty variable means unset, as shells and compose files write it. */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

function urlOf(protocols: readonly string[], what: string) {
  return z.string().refine(
    (text) => {
      try {
        return protocols.includes(new URL(text).protocol);
      } catch {
        return false;
      }
    },
    { message: `is not ${what}` },
  );
}

function wholeNumber(min: number, max: number, unit: string) {
  return z
    .string()
    .regex(/^\d+$/, { message: `is not a whole number of ${unit}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `is not within ${min}-${max} ${unit}` });
}

const port = z
  .string()
  .regex(/^\d+$/, { message: 'is not a port number (1-65535)' })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65_535, { message: 'is not a port number (1-65535)' });

/** A 32-byte key written as 64 hex digits or base64; undefined when it is neither. */
function secretKeyBytes(text: string): Buffer | undefined {
  const bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/** The variables, by name. Names are exactly as the environment spells them. */
export const ENV_SCHEMA = z.object({
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    urlOf(['postgres:', 'postgresql:'], 'a postgresql:// URL').default(DEFAULT_DATABASE_URL),
  ),
  REDIS_URL: z.preprocess(unsetIfEmpty, urlOf(['redis:', 'rediss:'], 'a redis:// URL').default(DEFAULT_REDIS_URL)),
  /** The API's port (`reachlog api`, `demo`), and where `who-can-reach` looks for it. */
  PORT: z.preprocess(unsetIfEmpty, port.optional()),
  /** How soon a crashed worker's job is retried (default 30 s; tests use less). */
  REACHLOG_JOB_LOCK_MS: z.preprocess(unsetIfEmpty, wholeNumber(1_000, 3_600_000, 'milliseconds').optional()),
  /**
   * The directory manifests sources registered through the API must lie under (unset: the API
   * registers none). The worker reads no symlink out of it.
   */
  REACHLOG_MANIFESTS_ROOT: z.preprocess(
    unsetIfEmpty,
    z.string().refine(isAbsolute, { message: 'is not an absolute path' }).optional(),
  ),
  /**
   * Reverse proxies in front of the API that append to X-Forwarded-For (default 0: the TCP peer
   * is the client). The per-address limit on failed authentication counts by the client it names.
   */
  REACHLOG_TRUST_PROXY_HOPS: z.preprocess(unsetIfEmpty, wholeNumber(0, 10, 'proxies').optional()),
  REACHLOG_API_URL: z.preprocess(unsetIfEmpty, urlOf(['http:', 'https:'], 'an http(s) URL').optional()),
  REACHLOG_TOKEN: z.preprocess(unsetIfEmpty, z.string().optional()),
  /**
   * Seals alert receivers' URLs and signing keys in the database (AES-256-GCM): 32 bytes as
   * 64 hex digits or base64. Without it, receivers cannot be added or used.
   */
  REACHLOG_SECRET_KEY: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((text) => secretKeyBytes(text) !== undefined, {
        message: 'is not 32 bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)',
      })
      .optional(),
  ),
  /** Where people reach the API: alert messages link to its explain answers from here. */
  REACHLOG_PUBLIC_URL: z.preprocess(unsetIfEmpty, urlOf(['http:', 'https:'], 'an http(s) URL').optional()),
  /** Serves the API's /metrics on its own port too, to a scraper sending `Authorization: Bearer <this>`. */
  REACHLOG_METRICS_TOKEN: z.preprocess(
    unsetIfEmpty,
    z.string().min(16, { message: 'is shorter than 16 characters: a metrics token must not be guessable' }).optional(),
  ),
  /** Set by the kubelet in every pod: where the API server is, for in-cluster collection. */
  KUBERNETES_SERVICE_HOST: z.preprocess(unsetIfEmpty, z.string().optional()),
  KUBERNETES_SERVICE_PORT: z.preprocess(unsetIfEmpty, port.optional()),
});

export interface Env {
  databaseUrl: string;
  redisUrl: string;
  /** Whether DATABASE_URL and REDIS_URL were set: `demo` runs embedded only when neither was (and nothing answers). */
  databaseUrlFromEnv: boolean;
  redisUrlFromEnv: boolean;
  /** PORT, else DEFAULT_PORT. */
  port: number;
  jobLockMs: number | undefined;
  /** REACHLOG_API_URL, else the local API on `port`, without a trailing slash. */
  apiUrl: string;
  apiToken: string | undefined;
  /** REACHLOG_SECRET_KEY's 32 bytes, or undefined. */
  secretKey: Buffer | undefined;
  /** REACHLOG_PUBLIC_URL without a trailing slash, else `apiUrl`. */
  publicUrl: string;
  /** REACHLOG_MANIFESTS_ROOT: where API-registered manifests sources may be; undefined: nowhere. */
  manifestsRoot: string | undefined;
  /** REACHLOG_TRUST_PROXY_HOPS, else 0. */
  trustProxyHops: number;
  /** REACHLOG_METRICS_TOKEN: undefined serves the API's /metrics only on its metrics port. */
  metricsToken: string | undefined;
  /** Both KUBERNETES_SERVICE_HOST and _PORT, or undefined (not in a pod). */
  kubernetesService: { host: string; port: number } | undefined;
}

type EnvSource = Readonly<Record<string, string | undefined>>;

/** Parses the variables from `source` (tests pass their own). */
export function parseEnv(source: EnvSource): Env {
  const parsed = ENV_SCHEMA.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    // URLs may carry passwords: the value is shown redacted; a token's not at all.
    const shown = name.endsWith('_TOKEN') ? 'the value given' : redact(JSON.stringify(source[name] ?? ''));
    throw new ConfigError(`${name}: ${shown} ${issue.message}`);
  }
  const v = parsed.data;
  const service =
    v.KUBERNETES_SERVICE_HOST && v.KUBERNETES_SERVICE_PORT
      ? { host: v.KUBERNETES_SERVICE_HOST, port: v.KUBERNETES_SERVICE_PORT }
      : undefined;
  const listen = v.PORT ?? DEFAULT_PORT;
  const apiUrl = (v.REACHLOG_API_URL ?? `http://127.0.0.1:${listen}`).replace(/\/+$/, '');
  return {
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    databaseUrlFromEnv: unsetIfEmpty(source.DATABASE_URL) !== undefined,
    redisUrlFromEnv: unsetIfEmpty(source.REDIS_URL) !== undefined,
    port: listen,
    jobLockMs: v.REACHLOG_JOB_LOCK_MS,
    apiUrl,
    apiToken: v.REACHLOG_TOKEN,
    secretKey: v.REACHLOG_SECRET_KEY === undefined ? undefined : secretKeyBytes(v.REACHLOG_SECRET_KEY),
    publicUrl: v.REACHLOG_PUBLIC_URL?.replace(/\/+$/, '') ?? apiUrl,
    manifestsRoot: v.REACHLOG_MANIFESTS_ROOT,
    trustProxyHops: v.REACHLOG_TRUST_PROXY_HOPS ?? 0,
    metricsToken: v.REACHLOG_METRICS_TOKEN,
    kubernetesService: service,
  };
}

const NAMES = Object.keys(ENV_SCHEMA.shape);
let parsedFor: string | undefined;
let current: Env | undefined;

/**
 * The process's configuration, parsed on first use (each command's start) and kept. Parsed
 * again only if a variable changed since, which only tests do.
 */
export function env(): Env {
  const key = JSON.stringify(NAMES.map((n) => process.env[n]));
  if (current === undefined || key !== parsedFor) {
    current = parseEnv(process.env);
    parsedFor = key;
  }
  return current;
}

/** The environment a child process inherits (the Prisma CLI for migrations), with overrides. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
