import type { RestartOptions } from './options.ts';

/**
 * One slot's restart schedule: exponential backoff over the workers that failed (died, or were replaced
 * for hanging, before they had been ready for `minUptime`), reset by one that was healthy. After
 * `maxRestarts` failed restarts in a row the slot gives up, so a worker that cannot start never makes a
 * fork loop.
 */
export class RestartBackoff {
  readonly #options: Required<RestartOptions>;
  #delay: number;
  #failures = 0;

  constructor(options: Required<RestartOptions>) {
    this.#options = options;
    this.#delay = options.initialDelay;
  }

  /** Failed restarts in a row so far. */
  get failures(): number {
    return this.#failures;
  }

  /**
   * A worker of the slot is gone and must be replaced. `healthyFor` is how long it had been ready (0 if
   * never). Returns how long to wait before starting the next one, or `undefined` to give up.
   */
  next(healthyFor: number): number | undefined {
    if (healthyFor >= this.#options.minUptime) {
      this.#failures = 0;
      this.#delay = this.#options.initialDelay;
      return this.#delay;
    }
    if (this.#failures >= this.#options.maxRestarts) return undefined;
    this.#failures += 1;
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * this.#options.factor, this.#options.maxDelay);
    return delay;
  }

  /** A fresh start (a reload or scale brought the slot a worker): forget the failures. */
  reset(): void {
    this.#failures = 0;
    this.#delay = this.#options.initialDelay;
  }
}
