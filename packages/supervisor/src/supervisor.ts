import { EventEmitter } from 'node:events';
import { invalidArgType } from '@cluster/errors';
import type { ClusterLike, WorkerLike } from './cluster-like.ts';
import { startFailed, supervisorStopped } from './errors.ts';
import { HeartbeatMonitor } from './heartbeat-monitor.ts';
import { ManagedSlot, type SlotContext } from './managed-slot.ts';
import type { ManagedWorker } from './managed-worker.ts';
import { SupervisorMetrics } from './metrics.ts';
import { OperationQueue } from './operation-queue.ts';
import { duration, type ResolvedOptions, resolveWorkerCount, type WorkerCount } from './options.ts';
import { ensurePreload, PRELOAD_FLAG } from './preload-flag.ts';
import { INSTANCE_ENV, SLOT_ENV, SUPERVISOR_ENV, type WorkerConfig } from './protocol.ts';
import { RollingReload } from './rolling-reload.ts';
import { ShutdownSignals } from './shutdown-signals.ts';
import type { ReloadResult, ShutdownResult, Slot, SupervisorEvents } from './types.ts';

/** What `shutdown()` takes. */
export interface ShutdownOptions {
  /** One deadline for every worker to drain, ms. Default: `options.drain.timeout`. */
  timeout?: number;
}

/**
 * Supervises the workers of one cluster from inside the user's own primary: `workers` slots, each with a
 * worker that is respawned with backoff, replaced one slot at a time by `reload()`, and drained on the way
 * out. Made by `supervise(cluster, options)`.
 */
export class Supervisor<TWorker extends WorkerLike = WorkerLike> extends EventEmitter<SupervisorEvents<TWorker>> {
  /**
   * Resolves once every slot has a ready worker; rejects with `ERR_CLUSTER_START_FAILED` when a slot gives
   * up before that (an app that cannot start ends there, not in a fork loop), or with
   * `ERR_CLUSTER_SUPERVISOR_STOPPED` if `shutdown()` comes first.
   */
  readonly ready: Promise<void>;
  /** Every worker's CPU, memory, event loop and connections, with a short history (`options.metrics`); else `undefined`. */
  readonly metrics: SupervisorMetrics<TWorker> | undefined;
  readonly #cluster: ClusterLike<TWorker>;
  readonly #options: ResolvedOptions;
  readonly #config: string;
  readonly #context: SlotContext<TWorker>;
  readonly #queue = new OperationQueue();
  readonly #monitor: HeartbeatMonitor<TWorker> | undefined;
  /** Slots queued for a memory replacement, so that one is queued once. */
  readonly #memoryQueued = new WeakSet<ManagedSlot<TWorker>>();
  #slots: ManagedSlot<TWorker>[] = [];
  #shutdown: Promise<ShutdownResult> | undefined;

  constructor(cluster: ClusterLike<TWorker>, options: ResolvedOptions) {
    super();
    this.#cluster = cluster;
    this.#options = options;
    const config: WorkerConfig = {
      v: 1,
      flag: PRELOAD_FLAG,
      beat: options.heartbeat === false ? 0 : options.heartbeat.interval,
      ...(options.metrics === false ? {} : { metrics: true }),
    };
    this.#config = JSON.stringify(config);
    const canPause = typeof cluster.pauseConnections === 'function' && typeof cluster.resumeConnections === 'function';
    const pause = canPause ? cluster.pauseConnections?.bind(cluster) : undefined;
    const resume = canPause ? cluster.resumeConnections?.bind(cluster) : undefined;
    const supervisor = this;
    this.#context = {
      options,
      get stopping() {
        return supervisor.#shutdown !== undefined;
      },
      fork: (slot) => this.#fork(slot),
      pause: pause as ((worker: TWorker) => void) | undefined,
      resume: resume as ((worker: TWorker) => void) | undefined,
      emit: (event, ...args) => {
        this.emit(event, ...(args as never));
      },
      listens: (event) => this.listenerCount(event) > 0,
      replaceForMemory: (slot, member) => this.#replaceForMemory(slot, member),
    };
    this.#slots = Array.from({ length: options.workers }, (_, id) => new ManagedSlot(id, this.#context));
    if (options.metrics !== false) {
      this.metrics = new SupervisorMetrics(options.metrics, {
        cluster,
        slots: () => this.#slots,
        on: (event, listener) => this.on(event, listener as never),
      });
      this.metrics.start();
      this.once('stopped', () => this.metrics?.stop());
    }
    const initial = [...this.#slots];
    this.ready = Promise.all(initial.map((slot) => slot.firstReady)).then(() => {});
    if (options.heartbeat !== false) {
      this.#monitor = new HeartbeatMonitor(options.heartbeat, () => this.#slots);
      this.#monitor.start();
    }
    if (options.signals.length > 0) {
      new ShutdownSignals(options.signals, {
        shutdown: (signal) => this.#stop(signal, this.#options.drain.timeout),
        kill: () => {
          for (const slot of this.#slots) slot.kill();
        },
      });
    }
    // On the next tick, so that listeners added right after `supervise()` see every event.
    process.nextTick(() => {
      if (this.#shutdown !== undefined) return;
      for (const slot of initial) slot.start('start');
    });
  }

  /** The live slots, `0..N-1`, including those being removed until their workers have exited. */
  get workers(): readonly Slot<TWorker>[] {
    return [...this.#slots];
  }

  /** Whether a shutdown has begun. */
  get stopping(): boolean {
    return this.#shutdown !== undefined;
  }

  /**
   * A rolling, zero-downtime reload: slot by slot, a new worker starts (picking up new code on disk) and,
   * once it is ready, the old one drains. Rejects with `ERR_CLUSTER_RELOAD_FAILED` (its `slot`, the new
   * worker's failure as `cause`) at the first new worker that crashes or is not ready in time; the slots
   * not yet replaced keep their old workers. A reload asked for during one makes one more pass after it.
   */
  reload(): Promise<ReloadResult> {
    return this.#queue.run(() => {
      const reload = new RollingReload([...this.#slots], this.#context.emit, (slot) => this.#slots.includes(slot));
      return reload.run();
    }, 'reload');
  }

  /**
   * Changes the number of slots (a count, or `'max'`). Up: resolves when the new slots have ready workers
   * (rejects with `ERR_CLUSTER_START_FAILED` if one gives up first). Down: the highest slots go; resolves
   * once their workers have drained and exited. Queued behind a reload in progress.
   */
  scale(workers: WorkerCount): Promise<void> {
    let target: number;
    try {
      target = resolveWorkerCount('workers', workers);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#queue.run(() => this.#scaleTo(target));
  }

  /**
   * Stops accepting everywhere and drains every worker with one deadline; resolves once they have all
   * exited. Later calls return the same promise. Nothing is restarted from here on.
   */
  shutdown(options: ShutdownOptions = {}): Promise<ShutdownResult> {
    if (options === null || typeof options !== 'object') {
      return Promise.reject(invalidArgType('options', 'of type object', options));
    }
    let timeout: number;
    try {
      timeout = duration('options.timeout', options.timeout, this.#options.drain.timeout);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#stop(undefined, timeout);
  }

  #stop(signal: NodeJS.Signals | undefined, timeout: number): Promise<ShutdownResult> {
    if (this.#shutdown !== undefined) return this.#shutdown;
    const deadline = Date.now() + timeout;
    // `ready` may now reject with ERR_CLUSTER_SUPERVISOR_STOPPED: a shutdown during start-up is no
    // crash of the primary for want of a handler (whoever awaits it still gets the rejection).
    this.ready.catch(() => {});
    this.#queue.close(supervisorStopped());
    this.#monitor?.stop();
    const slots = [...this.#slots];
    this.#shutdown = Promise.all(slots.map((slot) => slot.stop(deadline))).then((perSlot) => {
      const outcomes = perSlot.flat();
      this.#slots = this.#slots.filter((slot) => !slots.includes(slot));
      const result = { workers: outcomes.length, forced: outcomes.filter((outcome) => !outcome.drained).length };
      this.emit('stopped', result);
      return result;
    });
    this.emit('shutdown', { signal, deadline });
    return this.#shutdown;
  }

  async #scaleTo(target: number): Promise<void> {
    const from = this.#slots.length;
    if (target === from) return;
    this.emit('scale', { from, to: target });
    if (target > from) {
      const added = Array.from({ length: target - from }, (_, i) => new ManagedSlot(from + i, this.#context));
      this.#slots.push(...added);
      for (const slot of added) slot.start('scale');
      await Promise.all(
        added.map((slot) =>
          slot.firstReady.catch((error: Error) => {
            throw (error as { code?: string }).code === 'ERR_CLUSTER_START_FAILED'
              ? error
              : startFailed(slot.id, error);
          }),
        ),
      );
      return;
    }
    const removed = this.#slots.slice(target);
    const deadline = Date.now() + this.#options.drain.timeout;
    await Promise.all(removed.map((slot) => slot.stop(deadline)));
    this.#slots = this.#slots.filter((slot) => !removed.includes(slot));
  }

  #replaceForMemory(slot: ManagedSlot<TWorker>, member: ManagedWorker<TWorker>): void {
    if (this.#memoryQueued.has(slot)) return;
    this.#memoryQueued.add(slot);
    this.#queue
      .run(() => {
        this.#memoryQueued.delete(slot);
        return slot.replaceOverMemory(member);
      })
      .catch((error) => {
        this.#memoryQueued.delete(slot);
        if (error?.code === 'ERR_CLUSTER_SUPERVISOR_STOPPED') return;
        this.emit('replaceFailed', { slot, worker: member.worker, error });
      });
  }

  #fork(slot: number): TWorker {
    ensurePreload(this.#cluster);
    const env = {
      ...this.#options.env(slot),
      [INSTANCE_ENV]: String(slot),
      [SLOT_ENV]: String(slot),
      [SUPERVISOR_ENV]: this.#config,
    };
    return this.#cluster.fork(env);
  }
}
