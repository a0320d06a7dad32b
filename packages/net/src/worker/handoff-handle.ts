import type { RawHandle } from '../internals.ts';
import type { SockName } from '../protocol.ts';

/** The largest delay a timer takes; a timer that never fires holds the loop like a listen socket would. */
const TIMEOUT_MAX = 2 ** 31 - 1;

function noop(): void {}

/**
 * Stands in for the listen handle of a worker's round-robin server: net.js
 * drives it like a real one (`listen`, `close`, `getsockname`, `ref`), and
 * connections arrive through its `onconnection` when the primary hands them
 * over. There is no socket to keep the loop alive, so `ref` uses a timer.
 */
export class HandoffHandle implements RawHandle {
  onconnection: RawHandle['onconnection'] = null;
  readonly #sockname: SockName | undefined;
  readonly #onClose: () => void;
  #keepAlive: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(sockname: SockName | undefined, onClose: () => void) {
    this.#sockname = sockname;
    this.#onClose = onClose;
    if (sockname === undefined) this.getsockname = undefined;
    this.ref();
  }

  get closed(): boolean {
    return this.#closed;
  }

  listen(): number {
    return 0;
  }

  getsockname?: (out: Record<string, unknown>) => number = (out) => {
    if (this.#closed || this.#sockname === undefined) return 0;
    Object.assign(out, this.#sockname);
    return 0;
  };

  ref(): void {
    if (this.#keepAlive === null && !this.#closed) this.#keepAlive = setInterval(noop, TIMEOUT_MAX);
  }

  unref(): void {
    if (this.#keepAlive !== null) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
  }

  /** net.js treats this as synchronous; connections still in flight are declined and re-queued by the primary. */
  close(callback?: () => void): void {
    if (this.#closed) return;
    this.unref();
    this.#closed = true;
    this.#onClose();
    if (callback) process.nextTick(callback);
  }
}
