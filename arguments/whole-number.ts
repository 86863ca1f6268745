import { ArgumentError } from './argument-error.js';

/** A whole number within [min, max] (a port to listen on, a rate), as the user typed it. */
export function parseWholeNumber(text: string, parameter: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new ArgumentError(parameter, text, `expected ${min}-${max}`);
  return n;
}
