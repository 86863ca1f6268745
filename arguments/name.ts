import { ArgumentError } from './argument-error.js';

/** Cluster and token names go in URLs and on command lines: letters, digits, `.`, `_`, `-`. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function parseName(value: unknown, parameter: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new ArgumentError(
      parameter,
      value,
      "expected 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  }
  return value;
}
