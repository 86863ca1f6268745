import { setTimeout as sleep } from 'node:timers/promises';
import { KubeApiError } from './kube-api-error.js';

export interface RetryPolicy {
  /** Requests in all, the first included. */
  attempts: number;
  /** The wait after the first failure; it doubles after each further one. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, so waits really grow, and
 * half is random, so a fleet of collectors retrying after an apiserver restart spreads out.
 * A server's Retry-After (429/503 from API priority and fairness) is honoured up to maxDelayMs.
 */
export function backoffDelay(policy: RetryPolicy, failures: number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (failures - 1));
  const jittered = exponential / 2 + (Math.random() * exponential) / 2;
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Runs `attempt` until it succeeds, throws a non-retryable error, or the policy runs out. */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let failures = 0; ;) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof KubeApiError)) throw e;
      failures++;
      if (!e.retryable || failures >= policy.attempts) throw failures > 1 ? e.withAttempts(failures) : e;
      await sleep(backoffDelay(policy, failures, e.retryAfterMs), undefined, { signal });
    }
  }
}
