import type { DrainBody } from './protocol.ts';
import type { DrainOutcome } from './types.ts';

/** Why the supervisor signals a worker. */
export type KillReason = 'deadline' | 'drained' | 'unresponsive' | 'not-ready' | 'forced';

/** A drained worker that has not exited this long after its IPC channel closed is sent SIGTERM. */
export const EXIT_AFTER_DISCONNECT_MS = 2_000;

/** What a drain acts on: one worker, through the supervisor's channel and the cluster's API. */
export interface DrainTarget {
  /** Whether the worker side is there to be asked (it said hello, the channel is open). */
  readonly canDrain: boolean;
  /** Asks the worker side to drain; resolves once its connections have all closed. */
  requestDrain(body: DrainBody, timeout: number): Promise<null>;
  /** `worker.disconnect()`; resolves once the channel has closed (or the worker exited). */
  disconnect(): Promise<void>;
  signal(signal: NodeJS.Signals): void;
}

export interface DrainSettings {
  /** When the connections must be done (`Date.now()` time). */
  deadline: number;
  idleTimeout: number;
  killTimeout: number;
  /** Told each time a signal is sent. */
  onKill: (signal: NodeJS.Signals, reason: KillReason) => void;
}

/**
 * Takes one worker out of service, in the order Kubernetes and systemd expect of a server:
 *
 * 1. the caller has already stopped the primary from handing it connections (where the cluster can);
 * 2. the worker side closes its servers and lets its connections finish (HTTP: `Connection: close` on
 *    each response, idle keep-alive connections closed after `idleTimeout`);
 * 3. then its IPC channel is closed (`worker.disconnect()`), and a worker with nothing else to do exits;
 * 4. a worker still there at the deadline (or `EXIT_AFTER_DISCONNECT_MS` after step 3) gets SIGTERM, and
 *    `killTimeout` later SIGKILL.
 *
 * `terminate()` skips to step 4 at once, for a worker that cannot be asked (hung, never ready).
 */
export class Drain {
  readonly done: Promise<DrainOutcome>;
  readonly #target: DrainTarget;
  readonly #settings: DrainSettings;
  #deadline: number;
  #deadlineTimer: NodeJS.Timeout | undefined;
  #exitTimer: NodeJS.Timeout | undefined;
  #killTimer: NodeJS.Timeout | undefined;
  #drained = false;
  #signal: NodeJS.Signals | undefined;
  #finished = false;
  #resolve!: (outcome: DrainOutcome) => void;

  constructor(target: DrainTarget, settings: DrainSettings) {
    this.#target = target;
    this.#settings = settings;
    this.#deadline = settings.deadline;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Runs steps 2 to 4. */
  start(): void {
    this.#armDeadline();
    if (!this.#target.canDrain) {
      this.#disconnectOnly();
      return;
    }
    const body: DrainBody = { idleTimeout: this.#settings.idleTimeout };
    this.#target.requestDrain(body, Math.max(1, this.#remaining())).then(
      () => this.#afterDrained(),
      (error: { code?: string }) => {
        // Timed out, the deadline acts; the worker went away, its exit ends the drain. Any other
        // answer means its worker side cannot drain: fall back to Node's way.
        if (error?.code !== 'ERR_CLUSTER_IPC_TIMEOUT' && error?.code !== 'ERR_IPC_DISCONNECTED') this.#disconnectOnly();
      },
    );
  }

  /** No worker side to ask (the preload was dropped): the cluster's own disconnect closes the servers and waits for their connections. */
  #disconnectOnly(): void {
    this.#target.disconnect().then(() => {
      this.#drained = !this.#finished && Date.now() <= this.#deadline;
      this.#armExit();
    });
  }

  /** SIGTERM now, then SIGKILL after `killTimeout`. */
  terminate(reason: KillReason): void {
    if (this.#signal !== undefined || this.#finished) return;
    this.#signal = 'SIGTERM';
    this.#target.signal('SIGTERM');
    this.#settings.onKill('SIGTERM', reason);
    this.#killTimer = setTimeout(() => {
      this.#signal = 'SIGKILL';
      this.#target.signal('SIGKILL');
      this.#settings.onKill('SIGKILL', reason);
    }, this.#settings.killTimeout);
  }

  /** SIGKILL now (a second shutdown signal). */
  kill(): void {
    if (this.#finished) return;
    clearTimeout(this.#killTimer);
    this.#signal = 'SIGKILL';
    this.#target.signal('SIGKILL');
    this.#settings.onKill('SIGKILL', 'forced');
  }

  /** Moves the deadline earlier (a shutdown during a reload's drain); a later one changes nothing. */
  tighten(deadline: number): void {
    if (deadline >= this.#deadline || this.#finished) return;
    this.#deadline = deadline;
    this.#armDeadline();
    if (this.#exitTimer !== undefined) this.#armExit();
  }

  /** The worker exited: the drain is over. */
  exited(): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#deadlineTimer);
    clearTimeout(this.#exitTimer);
    clearTimeout(this.#killTimer);
    // A worker that left by itself before the deadline, unsignalled, was done too.
    const drained = this.#drained || (this.#signal === undefined && Date.now() <= this.#deadline);
    this.#resolve({ drained, signal: this.#signal });
  }

  #remaining(): number {
    return this.#deadline - Date.now();
  }

  #armDeadline(): void {
    clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = setTimeout(
      () => {
        if (!this.#drained) this.terminate('deadline');
      },
      Math.max(0, this.#remaining()),
    );
  }

  #afterDrained(): void {
    if (this.#finished) return;
    this.#drained = true;
    this.#target.disconnect().then(() => this.#armExit());
  }

  /** A drained worker with timers or sockets of its own does not exit by itself: it gets SIGTERM soon. */
  #armExit(): void {
    if (this.#finished) return;
    clearTimeout(this.#exitTimer);
    const wait = Math.max(0, Math.min(EXIT_AFTER_DISCONNECT_MS, this.#remaining()));
    this.#exitTimer = setTimeout(() => this.terminate(this.#drained ? 'drained' : 'deadline'), wait);
  }
}
