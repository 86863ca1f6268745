import { ArgumentError } from '../arguments/argument-error.js';
import { CliError } from './cli-error.js';

/**
 * Runs one of the shared argument parsers (arguments/) on a flag: a value it
 * refuses is a usage error (exit 2) whose message names the flag.
 */
export function cliArgument<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ArgumentError) throw new CliError(e.message);
    throw e;
  }
}
