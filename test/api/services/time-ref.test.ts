import { describe, expect, test } from 'vitest';
import { ServiceError } from '../../../api/services/query-service.js';
import { parseTimeRef } from '../../../api/services/time-ref.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

function refusal(text: string): string {
  try {
    parseTimeRef(text, NOW);
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceError);
    expect((e as ServiceError).code).toBe('BAD_USER_INPUT');
    return (e as ServiceError).message;
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
});
