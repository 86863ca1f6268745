import ms from 'ms';
import { ArgumentError } from './argument-error.js';

/** Snapshots more often than this would only hammer an API server (a typo like `5s` for `5m`). */
export const MIN_EVERY_SECONDS = 10;

/** How often to snapshot: `5m`, `1h`, `30s` → seconds, at least MIN_EVERY_SECONDS. */
export function parseEvery(text: unknown, parameter: string): number {
  const millis = typeof text === 'string' && text.length <= 20 ? ms(text as ms.StringValue) : undefined;
  if (typeof millis !== 'number' || !Number.isFinite(millis) || millis < MIN_EVERY_SECONDS * 1000) {
    throw new ArgumentError(parameter, text, `expected a duration of at least ${MIN_EVERY_SECONDS}s, e.g. 5m or 1h`);
  }
  return Math.round(millis / 1000);
}

const UNITS: [suffix: string, seconds: number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
];

/**
 * Seconds as `--every` takes them, in the largest unit that divides them exactly (`1h`, `90m`,
 * `45s`): never rounded, so what is printed parses back to the same schedule.
 */
export function formatEvery(seconds: number): string {
  const [suffix, size] = UNITS.find(([, size]) => seconds > 0 && seconds % size === 0) ?? ['s', 1];
  return `${seconds / size}${suffix}`;
}
