import type { WorkerLike } from './cluster-like.ts';
import { reloadFailed } from './errors.ts';
import type { ManagedSlot } from './managed-slot.ts';
import type { ReloadResult, SupervisorEvents } from './types.ts';

type Emit<TWorker extends WorkerLike> = <TEvent extends keyof SupervisorEvents<TWorker>>(
  event: TEvent,
  ...args: SupervisorEvents<TWorker>[TEvent]
) => void;

/**
 * One pass of a rolling reload: slot after slot, a new worker starts beside the old one, and only when it
 * is ready does the old one drain; the next slot waits until the old worker has gone. The first new
 * worker that fails stops the pass: the slots not yet replaced keep their old workers.
 */
export class RollingReload<TWorker extends WorkerLike> {
  readonly #slots: readonly ManagedSlot<TWorker>[];
  readonly #emit: Emit<TWorker>;
  readonly #isCurrent: (slot: ManagedSlot<TWorker>) => boolean;

  /** `isCurrent` tells whether a slot is still there (scaling down between passes removes slots). */
  constructor(
    slots: readonly ManagedSlot<TWorker>[],
    emit: Emit<TWorker>,
    isCurrent: (slot: ManagedSlot<TWorker>) => boolean,
  ) {
    this.#slots = slots;
    this.#emit = emit;
    this.#isCurrent = isCurrent;
  }

  async run(): Promise<ReloadResult> {
    const total = this.#slots.length;
    this.#emit('reloadStart', { total });
    let replaced = 0;
    for (const slot of this.#slots) {
      if (!this.#isCurrent(slot)) continue;
      try {
        await slot.replace('reload');
      } catch (cause) {
        const error = reloadFailed(slot.id, cause);
        this.#emit('reloadEnd', { replaced, error });
        throw error;
      }
      replaced += 1;
      this.#emit('reloadProgress', { slot, worker: slot.worker as TWorker, done: replaced, total });
    }
    this.#emit('reloadEnd', { replaced, error: undefined });
    return { replaced };
  }
}
