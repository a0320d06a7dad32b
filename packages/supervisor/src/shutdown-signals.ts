import { constants } from 'node:os';
import type { ShutdownResult } from './types.ts';

/** What the signal handlers drive. */
export interface ShutdownTarget {
  shutdown(signal: NodeJS.Signals): Promise<ShutdownResult>;
  /** SIGKILL to every worker. */
  kill(): void;
}

/**
 * The termination sequence Kubernetes and systemd expect, opted into with `signals`: the first signal
 * shuts down gracefully (stop accepting, drain every worker with one deadline) and then exits, 0 when every
 * worker drained in time and 1 when some had to be killed; a second signal kills the workers and exits at
 * once with 128 + the signal's number, as a shell reports a process killed by it.
 */
export class ShutdownSignals {
  readonly #signals: readonly NodeJS.Signals[];
  readonly #target: ShutdownTarget;
  #received: NodeJS.Signals | undefined;
  readonly #onSignal = (signal: NodeJS.Signals) => this.#handle(signal);

  constructor(signals: readonly NodeJS.Signals[], target: ShutdownTarget) {
    this.#signals = signals;
    this.#target = target;
    for (const signal of signals) process.on(signal, this.#onSignal);
  }

  /** Removes the handlers (the supervisor stopped another way). */
  remove(): void {
    for (const signal of this.#signals) process.off(signal, this.#onSignal);
  }

  #handle(signal: NodeJS.Signals): void {
    if (this.#received !== undefined) {
      this.#target.kill();
      this.remove();
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
    this.#received = signal;
    this.#target.shutdown(signal).then(
      (result) => {
        this.remove();
        process.exit(result.forced === 0 ? 0 : 1);
      },
      () => {
        this.remove();
        process.exit(1);
      },
    );
  }
}
