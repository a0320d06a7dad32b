import type { RawHandle } from '../internals.ts';

/**
 * Accepts that may arrive on a paused handle before the worker concludes that pausing does not work
 * (libuv stopped honouring the lever): from then on it accepts as under SCHED_NONE, and says so.
 */
export const PAUSE_LEAK_LIMIT = 3;

/** Node's default when `listen()` got no backlog. */
const DEFAULT_BACKLOG = 511;
/** Long enough never to fire; only its ref matters. */
const HOLD_MS = 2 ** 31 - 1;

/** The listen handle's methods the lever uses; a `TCPWrap`/`PipeWrap` that arrived over IPC has them. */
interface StreamHandle extends RawHandle {
  readStart?(): number;
  readStop?(): number;
}

let warned = false;

/**
 * A worker's half of the balanced mode for one shared handle: counts the connections it accepts
 * (by wrapping the handle's `onconnection`, which the user never sees) and pauses or resumes accepting on
 * the primary's orders.
 *
 * The lever is libuv's, undocumented: on a listening stream that arrived over IPC (so libuv marks it
 * readable), `readStart()` then `readStop()` stops polling the fd; `listen(backlog)` restarts it (a second
 * `listen(2)` with the same backlog changes nothing else). A paused handle no longer keeps the loop alive,
 * so a timer holds it while paused, as the server's own handle did (unless the user unref'd the server).
 */
export class AcceptGate {
  accepted = 0;
  /** Whether the lever was found not to work: the gate no longer pauses. */
  unsteerable = false;
  readonly #handle: StreamHandle;
  readonly #backlog: number;
  readonly #isRefed: () => boolean;
  readonly #onUnsteerable: () => void;
  #paused = false;
  #closed = false;
  #leaks = 0;
  #hold: NodeJS.Timeout | null = null;

  constructor(
    handle: RawHandle,
    backlog: number | undefined,
    isRefed: () => boolean,
    onAccept: () => void,
    onUnsteerable: () => void,
  ) {
    this.#handle = handle as StreamHandle;
    this.#backlog = backlog || DEFAULT_BACKLOG;
    this.#isRefed = isRefed;
    this.#onUnsteerable = onUnsteerable;
    const inner = handle.onconnection;
    if (typeof inner !== 'function') return;
    const gate = this;
    handle.onconnection = function onconnection(this: RawHandle, status: number, client?: RawHandle) {
      if (status === 0) {
        gate.accepted += 1;
        if (gate.#paused) gate.#leaked();
      }
      onAccept();
      return Reflect.apply(inner, this, [status, client]);
    };
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Stops accepting; another worker takes what the kernel queues meanwhile. */
  pause(): void {
    if (this.#paused || this.#closed || this.unsteerable) return;
    const { readStart, readStop } = this.#handle;
    if (
      typeof readStart !== 'function' ||
      typeof readStop !== 'function' ||
      typeof this.#handle.listen !== 'function'
    ) {
      this.#fail('the listen handle has no readStart/readStop/listen');
      return;
    }
    const started = readStart.call(this.#handle);
    const stopped = readStop.call(this.#handle);
    if (started !== 0 || stopped !== 0) {
      // Left polling (or in an unknown state): listen again so that it surely accepts.
      this.#handle.listen?.(this.#backlog);
      this.#fail(`readStart/readStop on the listen handle returned ${started}/${stopped}`);
      return;
    }
    this.#paused = true;
    if (this.#isRefed()) this.#hold = setInterval(() => {}, HOLD_MS);
    this.#leaks = 0;
  }

  /** Accepts again. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#release();
    if (this.#closed) return;
    const errno = this.#handle.listen?.(this.#backlog) ?? 0;
    if (errno !== 0) this.#fail(`listen() to resume accepting returned ${errno}`);
  }

  /** The handle closed (server.close(), disconnect): nothing to hold any more. */
  close(): void {
    this.#closed = true;
    this.#paused = false;
    this.#release();
  }

  #release(): void {
    if (this.#hold === null) return;
    clearInterval(this.#hold);
    this.#hold = null;
  }

  #leaked(): void {
    this.#leaks += 1;
    if (this.#leaks >= PAUSE_LEAK_LIMIT) {
      this.resume();
      this.#fail(`${this.#leaks} connections were accepted on a paused listen handle`);
    }
  }

  #fail(why: string): void {
    if (this.unsteerable) return;
    this.unsteerable = true;
    if (!warned) {
      warned = true;
      process.emitWarning(
        `The balanced scheduling mode cannot pause accepts in this Node.js (${why}); this worker accepts as under SCHED_NONE.`,
        'ClusterWarning',
        'CLUSTER_BALANCE_UNAVAILABLE',
      );
    }
    this.#onUnsteerable();
  }
}
