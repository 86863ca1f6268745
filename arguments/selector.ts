import { parseSelectorText, SelectorTextError, type LabelSelector } from '../engine/index.js';
import { ArgumentError } from './argument-error.js';

/**
 * A kubectl selector (`app=postgres,tier in (db)`) that starts `offset` characters into the
 * argument `whole` (after `ns=db:` in a target): errors name the position in `whole`, as the
 * user wrote it.
 */
export function parseSelectorArgument(whole: string, parameter: string, offset = 0): LabelSelector {
  const selector = Array.from(whole).slice(offset).join('');
  try {
    return parseSelectorText(selector);
  } catch (e) {
    if (!(e instanceof SelectorTextError)) throw e;
    throw new ArgumentError(parameter, whole, `at position ${e.position + offset}: ${e.reason}`);
  }
}
