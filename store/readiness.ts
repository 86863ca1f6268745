/**
 * Whether the services every reachlog process depends on answer: the `/readyz` of the API and of
 * the worker's status server ask the same questions, written once here.
 */

/** How long one check may take: probes must wait longer than this to see a 503 and its reason. */
export const READINESS_TIMEOUT_MS = 2_000;

/** A dependency's readiness: resolves when it answers. */
export type ReadinessCheck = () => Promise<unknown>;

export interface Readiness {
  ready: boolean;
  /** Each check's outcome: `ok`, or why it failed. */
  checks: Record<string, string>;
  /** The failed checks, `name: why; …` (empty when ready). */
  detail: string;
}

/** The parts of a pg pool and an ioredis client the checks use. */
export interface StoreConnections {
  pool: { query(sql: string): Promise<unknown> };
  /** null in the embedded mode, which runs without Redis: Postgres alone decides. */
  redis: { status: string; ping(): Promise<unknown> } | null;
}

/** Postgres answers a query; Redis (where there is one) is connected and answers PING. */
export function storeChecks(c: StoreConnections): Record<string, ReadinessCheck> {
  const postgres: ReadinessCheck = () => c.pool.query('SELECT 1');
  const redis = c.redis;
  if (!redis) return { postgres };
  return {
    postgres,
    redis: async () => {
      // ioredis queues commands while it reconnects: a ping would just wait. Say why at once.
      if (redis.status !== 'ready') throw new Error(`not connected (${redis.status})`);
      await redis.ping();
    },
  };
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface ReadinessOptions {
  /** How long one check may take before it counts as failed. */
  timeoutMs?: number;
  /** An error as the report states it (the API strips credentials). */
  describe?: (message: string) => string;
}

/** Runs every check at once; each fails on an error or after the timeout. */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  { timeoutMs = READINESS_TIMEOUT_MS, describe = (m) => m }: ReadinessOptions = {},
): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await within(timeoutMs, Promise.resolve().then(check));
        return [name, 'ok'] as const;
      } catch (e) {
        return [name, describe((e as Error).message || String(e))] as const;
      }
    }),
  );
  const failed = results.filter(([, outcome]) => outcome !== 'ok');
  return {
    ready: failed.length === 0,
    checks: Object.fromEntries(results),
    detail: failed.map(([name, outcome]) => `${name}: ${outcome}`).join('; '),
  };
}
