/** The exit status of every `cluster` command. Codes never change meaning. */
export const EXIT_CODES = Object.freeze({
  /** Done: `run` stopped with every worker drained in time; a control command did what it was asked. */
  ok: 0,
  /** Failed: the app could not start, every slot gave up, a worker had to be killed at the shutdown deadline, or a reload or scale failed. */
  failure: 1,
  /** A usage error: an unknown command or option, a bad value, a bad config file, an app that is not there. */
  usage: 2,
  /** No running instance by that name (or none at all). */
  notRunning: 3,
});

/** What a shell reports for a process ended by `signal`: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export const SIGNAL_EXIT_BASE = 128;
