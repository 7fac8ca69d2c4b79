/** Exit codes of every `guillotine` command (documented in docs/cli.md). */
export const EXIT_OK = 0;
/** The operation ran and found a problem (e.g. a broken log chain, a failed scenario). */
export const EXIT_FAILED = 1;
/** Bad command line: unknown option, missing argument. */
export const EXIT_USAGE = 2;
/** Bad input file: configuration, key file, profile. */
export const EXIT_CONFIG = 3;
/** Could not reach the controller, port or broker. */
export const EXIT_UNREACHABLE = 4;
/** The controller refused (ERR reply). */
export const EXIT_REFUSED = 5;
