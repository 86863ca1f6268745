import type { Options, Store } from 'express-rate-limit';
import { redact } from '../../config/redact.js';

export const logToStderr = (line: string): void => void process.stderr.write(`${line}\n`);

/** A limit's store failure as one redacted log line under the limit's `name`. */
export function storeFailureLogger(name: string, log: (line: string) => void, kind = 'error') {
  return (e: unknown, message?: string): void =>
    log(`${name}: ${message ?? kind}: ${redact(e instanceof Error ? e.message : String(e))}`);
}

/**
 * What express-rate-limit's limits share: counts in `store` when given (Redis in a deployment),
 * else in this process; a store that fails lets the request through and is logged — the limits
 * guard against floods, they are not access control, and queries should not stop with Redis.
 */
export function sharedLimiterOptions(
  name: string,
  store: Store | undefined,
  log: (line: string) => void,
): Pick<Options, 'passOnStoreError' | 'logger'> & { store?: Store } {
  return {
    ...(store ? { store } : {}),
    passOnStoreError: true,
    logger: { error: storeFailureLogger(name, log), warn: storeFailureLogger(name, log, 'warning') },
  };
}
