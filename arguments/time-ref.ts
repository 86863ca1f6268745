import ms from 'ms';
import { ArgumentError } from './argument-error.js';
import { MAX_ROW_ID } from './row-id.js';

/** A time reference as written: a snapshot by id, or a point in time. */
export type ParsedTimeRef = { kind: 'snapshot'; id: number } | { kind: 'time'; at: Date };

const SNAPSHOT = /^snapshot:(\d{1,10})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const DURATION =
  /^\d+(?:\.\d+)?\s*(?:ms|milliseconds?|msecs?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|y|yrs?|years?)$/i;

/**
 * The earliest time reachlog reads history at (the Unix epoch; no snapshot is older). The floor
 * keeps `300000y` from becoming a date JavaScript or Postgres cannot represent.
 */
const EARLIEST = 0;
const EARLIEST_TEXT = '1970-01-01';

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function parseIso(text: string, field: string): Date {
  const m = ISO.exec(text)!;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) =>
    v === undefined ? 0 : +v,
  ) as [number, number, number, number, number, number];
  // Checked by hand: Date rolls 2025-02-31 over to March 3rd instead of refusing it.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new ArgumentError(field, text, 'is not a valid date and time');
  }
  // A time without a zone is read as UTC, never as the server's local time.
  const zoned = m[4] !== undefined && m[7] === undefined ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  const at = new Date(zoned);
  if (Number.isNaN(at.getTime())) throw new ArgumentError(field, text, 'is not a valid date and time');
  return at;
}

/**
 * `at`/`since`/`from`/`to` as users write them: an ISO time (`2025-03-01`, `2025-03-01T12:00Z`),
 * a duration back from `now` (`7d`, `12h`), or `snapshot:<id>`. A time in the future, or before
 * 1970, is refused.
 */
export function parseTimeRef(text: string, now: Date, field = 'at'): ParsedTimeRef {
  const trimmed = text.trim();
  const snapshot = SNAPSHOT.exec(trimmed);
  if (snapshot) {
    const id = Number(snapshot[1]);
    if (id > MAX_ROW_ID) throw new ArgumentError(field, text, `no snapshot id is that large (at most ${MAX_ROW_ID})`);
    return { kind: 'snapshot', id };
  }
  let at: Date;
  if (ISO.test(trimmed)) at = parseIso(trimmed, field);
  else if (DURATION.test(trimmed)) {
    const back = ms(trimmed as ms.StringValue);
    if (typeof back !== 'number' || !Number.isFinite(back)) {
      throw new ArgumentError(field, text, 'is not a valid duration');
    }
    at = new Date(now.getTime() - back);
  } else {
    throw new ArgumentError(
      field,
      text,
      'expected an ISO time (2025-03-01T12:00:00Z), a duration back from now (7d, 12h) or snapshot:<id>',
    );
  }
  if (Number.isNaN(at.getTime()) || at.getTime() < EARLIEST) {
    throw new ArgumentError(field, text, `is too far back: reachlog reads no history before ${EARLIEST_TEXT}`);
  }
  if (at.getTime() > now.getTime()) {
    throw new ArgumentError(field, text, `is in the future (${at.toISOString()}; now is ${now.toISOString()})`);
  }
  return { kind: 'time', at };
}
