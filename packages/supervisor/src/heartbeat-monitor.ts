import { performance } from 'node:perf_hooks';
import type { WorkerLike } from './cluster-like.ts';
import type { ManagedSlot } from './managed-slot.ts';
import type { HeartbeatOptions } from './options.ts';

/**
 * Checks, every heartbeat interval, that each ready worker has beaten within `maxMissed` intervals; a
 * silent one (a busy loop, a deadlock) is handed to its slot to be replaced. `disconnect()` could not do
 * this: a blocked worker never completes it.
 */
export class HeartbeatMonitor<TWorker extends WorkerLike> {
  readonly #options: Required<HeartbeatOptions>;
  readonly #slots: () => Iterable<ManagedSlot<TWorker>>;
  #timer: NodeJS.Timeout | undefined;
  #lastTick = performance.now();

  constructor(options: Required<HeartbeatOptions>, slots: () => Iterable<ManagedSlot<TWorker>>) {
    this.#options = options;
    this.#slots = slots;
  }

  start(): void {
    this.#lastTick = performance.now();
    this.#timer = setInterval(() => this.#check(), this.#options.interval);
    // The workers keep the primary alive; the monitor alone should not.
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    const now = performance.now();
    const late = now - this.#lastTick;
    this.#lastTick = now;
    // The primary's own loop was blocked: the beats that came meanwhile are still unread (timers run
    // before I/O), so this round would blame every worker for the primary's stall.
    if (late > 2 * this.#options.interval) return;
    const bound = this.#options.interval * this.#options.maxMissed;
    for (const slot of this.#slots()) {
      const member = slot.serving;
      // A worker without the worker side (its preload was dropped) cannot beat: nothing to hold against it.
      if (member === undefined || !member.hasWorkerSide) continue;
      const silent = member.silentFor(now);
      if (silent > bound) slot.unresponsive(member, silent);
    }
  }
}
