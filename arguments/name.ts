import { ArgumentError } from './argument-error.js';

/** Cluster and token names go in URLs and on command lines: letters, digits, `.`, `_`, `-`. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Whether `value` could name a cluster or token: a lookup by anything else can only find nothing. */
export function isName(value: unknown): value is string {
  return typeof value === 'string' && NAME.test(value);
}

export function parseName(value: unknown, parameter: string): string {
  if (!isName(value)) {
    throw new ArgumentError(
      parameter,
      value,
      "expected 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  }
  return value;
}
