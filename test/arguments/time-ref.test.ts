import { describe, expect, test } from 'vitest';
import { ArgumentError } from '../../arguments/argument-error.js';
import { parseTimeRef } from '../../arguments/time-ref.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

function refusal(text: string): string {
  try {
    parseTimeRef(text, NOW);
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as ArgumentError).code).toBe('BAD_USER_INPUT');
    return (e as ArgumentError).message;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('parseTimeRef', () => {
  test('snapshot ids, durations back from now, ISO times', () => {
    expect(parseTimeRef('snapshot:42', NOW)).toEqual({ kind: 'snapshot', id: 42 });
    expect(parseTimeRef('7d', NOW)).toEqual({ kind: 'time', at: new Date('2025-05-25T12:00:00.000Z') });
    expect(parseTimeRef('12h', NOW)).toEqual({ kind: 'time', at: new Date('2025-06-01T00:00:00.000Z') });
    expect(parseTimeRef('2025-05-01', NOW)).toEqual({ kind: 'time', at: new Date('2025-05-01T00:00:00.000Z') });
    expect(parseTimeRef('2025-05-01T10:30:00+02:00', NOW)).toEqual({
      kind: 'time',
      at: new Date('2025-05-01T08:30:00.000Z'),
    });
  });

  test('a time without a zone is UTC, never the server clock zone', () => {
    expect(parseTimeRef('2025-05-01T10:30', NOW)).toEqual({ kind: 'time', at: new Date('2025-05-01T10:30:00.000Z') });
  });

  test('the future, nonsense and bare numbers are refused with the reason', () => {
    expect(refusal('2025-06-02')).toContain('is in the future');
    expect(refusal('yesterday')).toContain('expected an ISO time');
    expect(refusal('5')).toContain('expected an ISO time');
    expect(refusal('-3d')).toContain('expected an ISO time');
    expect(refusal('2025-13-01')).toContain('not a valid date');
    expect(refusal('x'.repeat(10_000)).length).toBeLessThan(250);
  });

  test('impossible calendar dates are refused, never rolled over to the next month', () => {
    for (const text of ['2025-02-29', '2025-02-31', '2025-04-31T10:00:00Z', '1900-02-29', '2025-06-00']) {
      expect(refusal(text)).toContain('is not a valid date');
    }
    expect(parseTimeRef('2024-02-29', NOW)).toEqual({ kind: 'time', at: new Date('2024-02-29T00:00:00.000Z') });
    expect(parseTimeRef('2000-02-29T23:59:59Z', NOW)).toEqual({
      kind: 'time',
      at: new Date('2000-02-29T23:59:59.000Z'),
    });
  });

  test('snapshot ids past what Postgres integer holds, and times no date can hold, are refused', () => {
    expect(parseTimeRef('snapshot:2147483647', NOW)).toEqual({ kind: 'snapshot', id: 2147483647 });
    expect(refusal('snapshot:2147483648')).toBe(
      'at "snapshot:2147483648": no snapshot id is that large (at most 2147483647)',
    );
    expect(refusal('99999999999999999999y')).toContain('too far back');
    expect(refusal('300000y')).toContain('too far back');
    expect(refusal('1969-12-31T23:59:59Z')).toContain('too far back');
    expect(refusal('1e400d')).toContain('expected an ISO time');
  });
});
