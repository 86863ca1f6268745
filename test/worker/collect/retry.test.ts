import { describe, expect, test } from 'vitest';
import { backoffDelay, type RetryPolicy } from '../../../worker/collect/retry.js';

const POLICY: RetryPolicy = { attempts: 10, initialDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffDelay', () => {
  test('doubles per failure, within [half, full] of the exponential step', () => {
    for (const [failures, step] of [
      [1, 100],
      [2, 200],
      [3, 400],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(POLICY, failures);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      }
    }
  });

  test('never exceeds maxDelayMs, however many failures or however long a Retry-After', () => {
    expect(backoffDelay(POLICY, 30)).toBeLessThanOrEqual(1_000);
    expect(backoffDelay(POLICY, 1, 60_000)).toBe(1_000);
  });

  test('waits at least Retry-After when the server asks for it', () => {
    expect(backoffDelay(POLICY, 1, 700)).toBe(700);
  });
});
