import { describe, expect, test } from 'vitest';
import { clusterIsOverdue, isOverdue, overdueAt } from '../../store/overdue.js';

const MINUTE = 60_000;
const now = new Date('2026-01-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('overdue: the last success is older than twice the interval', () => {
  test('one missed run is not overdue; more than two intervals is', () => {
    expect(isOverdue(ago(5 * MINUTE), 5 * MINUTE, now)).toBe(false);
    expect(isOverdue(ago(10 * MINUTE), 5 * MINUTE, now)).toBe(false);
    expect(isOverdue(ago(10 * MINUTE + 1), 5 * MINUTE, now)).toBe(true);
  });

  test('no success at all is overdue', () => {
    expect(isOverdue(null, 5 * MINUTE, now)).toBe(true);
    expect(overdueAt(null, 5 * MINUTE)).toBeNull();
    expect(overdueAt(ago(0), MINUTE)).toEqual(new Date(now.getTime() + 2 * MINUTE));
  });

  test('a registered cluster: paused is never overdue; a new one counts from registration', () => {
    const base = { everySeconds: 60, paused: false, lastSuccessAt: null };
    expect(clusterIsOverdue({ ...base, createdAt: ago(MINUTE) }, now)).toBe(false);
    expect(clusterIsOverdue({ ...base, createdAt: ago(3 * MINUTE) }, now)).toBe(true);
    expect(clusterIsOverdue({ ...base, paused: true, createdAt: ago(3 * MINUTE) }, now)).toBe(false);
    expect(clusterIsOverdue({ ...base, createdAt: ago(60 * MINUTE), lastSuccessAt: ago(MINUTE) }, now)).toBe(false);
  });
});
