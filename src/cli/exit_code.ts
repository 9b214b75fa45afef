/** Process exit codes of every subcommand. */
export const ExitCode = Object.freeze({
  /** Done, or (plan) every backend set is in sync. */
  ok: 0,
  /** A runtime error (or, for plan, an object that could not be planned). */
  failure: 1,
  /** A bad command line. */
  usage: 2,
  /** plan only: at least one backend set would change (DESIGN §6). */
  changesPending: 2,
});
