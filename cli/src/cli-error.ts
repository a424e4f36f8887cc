/** An error the CLI reports as one line and an exit code, without a stack. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    /** 1 for a failure, 2 for bad usage. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
