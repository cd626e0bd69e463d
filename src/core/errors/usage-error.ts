/** The command line was wrong (unknown flag, bad value): the CLI prints one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
