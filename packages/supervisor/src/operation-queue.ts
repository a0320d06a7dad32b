/**
 * Runs the supervisor's long operations (reloads, scaling, replacements) one after another, so that two
 * never act on the slots at once. An operation asked for under a key while another with that key is still
 * waiting to start joins it: reloads asked for during a reload make one more pass after it, not one each.
 */
export class OperationQueue {
  #tail: Promise<unknown> = Promise.resolve();
  readonly #waiting = new Map<string, Promise<unknown>>();
  #closed: Error | undefined;

  /** Queues `task`; with a `key`, shares the promise of a waiting operation with the same key. */
  run<TResult>(task: () => Promise<TResult>, key?: string): Promise<TResult> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    if (key !== undefined) {
      const waiting = this.#waiting.get(key);
      if (waiting !== undefined) return waiting as Promise<TResult>;
    }
    const result = this.#tail.then(() => {
      if (key !== undefined) this.#waiting.delete(key);
      if (this.#closed !== undefined) throw this.#closed;
      return task();
    });
    this.#tail = result.catch(() => {});
    if (key !== undefined) this.#waiting.set(key, result);
    return result;
  }

  /** Refuses new operations with `error`, and fails those not yet started with it. */
  close(error: Error): void {
    this.#closed ??= error;
  }
}
