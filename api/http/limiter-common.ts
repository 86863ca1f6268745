import type { Options, Store } from 'express-rate-limit';
import { redact } from '../../config/redact.js';

/**
 * What both limits share: counts in `store` when given (Redis in a deployment), else in this
 * process; a store that fails lets the request through and is logged under `name`, redacted —
 * the limits guard against floods, they are not access control, and queries should not stop
 * with Redis.
 */
export function sharedLimiterOptions(
  name: string,
  store: Store | undefined,
  log: (line: string) => void,
): Pick<Options, 'passOnStoreError' | 'logger'> & { store?: Store } {
  const line = (kind: string) => (e: unknown, message?: string) =>
    log(`${name}: ${message ?? kind}: ${redact(e instanceof Error ? e.message : String(e))}`);
  return {
    ...(store ? { store } : {}),
    passOnStoreError: true,
    logger: { error: line('error'), warn: line('warning') },
  };
}

export const logToStderr = (line: string): void => void process.stderr.write(`${line}\n`);
