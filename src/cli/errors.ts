/** Exit codes and one-line errors for the CLI. */

export const EXIT_OK = 0;
/** A check failed, a run hit a limit, or a sweep task failed. */
export const EXIT_CHECK_FAILED = 1;
/** Bad input: flags, scenario files, result directories. */
export const EXIT_BAD_INPUT = 2;

/** Bad input the user can fix; printed as its message, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
