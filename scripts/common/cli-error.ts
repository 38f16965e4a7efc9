/**
 * An error the user caused and can fix (a missing file, a bad flag): the CLIs
 * print its message as one line and exit 1, with no stack trace.
 */
export class CliInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliInputError';
  }
}

/** `--help` was asked for: the CLI prints its usage and exits 0. */
export class HelpRequested extends Error {
  constructor(public readonly usage: string) {
    super('help requested');
    this.name = 'HelpRequested';
  }
}
