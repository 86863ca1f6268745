import ms from 'ms';
import { CliError } from './cli-error.js';

/** `5m`, `1h`, `30s` → seconds; at least 10 s, so a typo does not hammer an API server. */
export function parseEverySeconds(text: string): number {
  const millis = ms(text as ms.StringValue);
  if (typeof millis !== 'number' || !Number.isFinite(millis) || millis < 10_000) {
    throw new CliError(`--every ${JSON.stringify(text)}: expected a duration of at least 10s, e.g. 5m or 1h`);
  }
  return Math.round(millis / 1000);
}
