/**
 * UsageError — the user asked for something impossible (a bad flag value, a
 * missing argument, conflicting options). The CLI prints its one-line message
 * and exits with status 2; the message names the flag, the bad value and the fix.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
