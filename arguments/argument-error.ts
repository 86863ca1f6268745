/**
 * A user's argument that does not parse, naming the parameter as the caller spells it (`port`
 * in the API, `--port` on the command line). The API's edges answer it as BAD_USER_INPUT (400);
 * the CLI turns it into a usage error (exit 2).
 */
export class ArgumentError extends Error {
  readonly code = 'BAD_USER_INPUT';

  constructor(
    readonly parameter: string,
    value: unknown,
    expected: string,
  ) {
    super(`${parameter} ${value === undefined ? 'is missing' : shown(value)}: ${expected}`);
    this.name = 'ArgumentError';
  }
}

/** The value as the user wrote it, quoted and cut, so a pasted page does not flood the message. */
export function shown(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
