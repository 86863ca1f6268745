import ms from 'ms';
import { ServiceError } from './query-service.js';

/** A time reference as written: a snapshot by id, or a point in time. */
export type ParsedTimeRef = { kind: 'snapshot'; id: number } | { kind: 'time'; at: Date };

const SNAPSHOT = /^snapshot:(\d{1,10})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const DURATION =
  /^\d+(?:\.\d+)?\s*(?:ms|milliseconds?|msecs?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|y|yrs?|years?)$/i;

function bad(field: string, text: string, why: string): ServiceError {
  return new ServiceError(
    'BAD_USER_INPUT',
    `${field} ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}: ${why}`,
  );
}

function parseIso(text: string, field: string): Date {
  const m = ISO.exec(text)!;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? 0 : +v));
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour! > 23 || minute! > 59 || second! > 59) {
    throw bad(field, text, 'is not a valid date and time');
  }
  // A time without a zone is read as UTC, never as the server's local time.
  const zoned = m[4] !== undefined && m[7] === undefined ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  const at = new Date(zoned);
  if (Number.isNaN(at.getTime())) throw bad(field, text, 'is not a valid date and time');
  return at;
}

/**
 * `at`/`since`/`from`/`to` as users write them: an ISO time (`2025-03-01`, `2025-03-01T12:00Z`),
 * a duration back from `now` (`7d`, `12h`), or `snapshot:<id>`. A time in the future is refused.
 */
export function parseTimeRef(text: string, now: Date, field = 'at'): ParsedTimeRef {
  const trimmed = text.trim();
  const snapshot = SNAPSHOT.exec(trimmed);
  if (snapshot) return { kind: 'snapshot', id: Number(snapshot[1]) };
  let at: Date;
  if (ISO.test(trimmed)) at = parseIso(trimmed, field);
  else if (DURATION.test(trimmed)) {
    const back = ms(trimmed as ms.StringValue);
    if (typeof back !== 'number' || !Number.isFinite(back)) throw bad(field, text, 'is not a valid duration');
    at = new Date(now.getTime() - back);
  } else {
    throw bad(
      field,
      text,
      'expected an ISO time (2025-03-01T12:00:00Z), a duration back from now (7d, 12h) or snapshot:<id>',
    );
  }
  if (at.getTime() > now.getTime()) {
    throw bad(field, text, `is in the future (${at.toISOString()}; now is ${now.toISOString()})`);
  }
  return { kind: 'time', at };
}
