import { ServiceError } from '../query-service.js';

/**
 * A user's argument that does not parse, naming the parameter as the caller spells it (`port`
 * in the API, `--port` on the command line). The API's edges map it like any BAD_USER_INPUT;
 * the CLI turns it into a usage error.
 */
export class ArgumentError extends ServiceError {
  constructor(
    readonly parameter: string,
    value: unknown,
    expected: string,
  ) {
    super('BAD_USER_INPUT', `${parameter} ${value === undefined ? 'is missing' : shown(value)}: ${expected}`);
    this.name = 'ArgumentError';
  }
}

/** The value as the user wrote it, quoted and cut, so a pasted page does not flood the message. */
export function shown(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
