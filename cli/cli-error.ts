/** A problem the user can fix; printed without a stack. `exitCode` 2 is usage, 1 bad input. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}
