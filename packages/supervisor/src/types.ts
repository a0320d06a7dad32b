import type { WorkerLike } from './cluster-like.ts';
import type { KillReason } from './drain.ts';
import type { SupervisorError } from './errors.ts';
import type { WorkerSample } from './protocol.ts';

/**
 * Where one worker process is in its life under the supervisor:
 * `starting` → `ready` → `draining` (no new connections, finishing its own) → `stopping` (signalled) → `exited`.
 */
export type WorkerState = 'starting' | 'ready' | 'draining' | 'stopping' | 'exited';

/**
 * Where a slot is:
 * - `starting`: its worker was forked and is not ready yet;
 * - `ready`: its worker is ready (during a reload of the slot it keeps serving while the new one starts);
 * - `restarting`: its worker died and the next one starts after the backoff delay;
 * - `failed`: it gave up after too many failed restarts (a reload or `scale()` tries it again);
 * - `stopping`: it is being removed (`scale()` down, `shutdown()`), its workers draining;
 * - `stopped`: removed.
 */
export type SlotState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopping' | 'stopped';

/** Why a worker was started. */
export type StartReason = 'start' | 'restart' | 'reload' | 'scale' | 'memory';

/** One worker process in a slot, as the supervisor sees it (read-only, live). */
export interface SlotWorker<TWorker extends WorkerLike = WorkerLike> {
  /** The cluster's own `Worker` object. */
  readonly worker: TWorker;
  readonly slot: number;
  readonly pid: number | undefined;
  readonly state: WorkerState;
  readonly reason: StartReason;
  /** When it was forked (`Date.now()`). */
  readonly startedAt: number;
  /** When it became ready (`Date.now()`), if it did. */
  readonly readyAt: number | undefined;
  /** The last heartbeat's sample (RSS, …), once one came. */
  readonly stats: WorkerSample | undefined;
}

/** One slot `0..N-1`: the place of one worker, which its replacements inherit (read-only, live). */
export interface Slot<TWorker extends WorkerLike = WorkerLike> {
  /** The slot number, also in the worker's environment as `NODE_APP_INSTANCE` and `CLUSTER_SLOT`. */
  readonly id: number;
  readonly state: SlotState;
  /** The slot's current worker (ready, or starting), if it has one. */
  readonly worker: TWorker | undefined;
  /** Its process id. */
  readonly pid: number | undefined;
  /** Every process of the slot now: the current one, a replacement starting, old ones draining. */
  readonly workers: readonly SlotWorker<TWorker>[];
  /** How many times a worker of this slot was replaced after a crash, a hang or its memory limit. */
  readonly restarts: number;
  /** How long the current worker has been ready, in ms (0 when it is not). */
  readonly uptime: number;
  /** The current worker's last heartbeat sample. */
  readonly stats: WorkerSample | undefined;
}

/** How a drain ended. */
export interface DrainOutcome {
  /** Every connection ended before the deadline. */
  drained: boolean;
  /** The signal the worker had to be sent, if any. */
  signal: NodeJS.Signals | undefined;
}

/** What `shutdown()` resolves with. */
export interface ShutdownResult {
  /** Workers that were stopped. */
  workers: number;
  /** Those of them that had not finished by the deadline and were killed. */
  forced: number;
}

/** What `reload()` resolves with. */
export interface ReloadResult {
  /** Slots whose worker was replaced. */
  replaced: number;
}

type Of<TWorker extends WorkerLike> = { slot: Slot<TWorker>; worker: TWorker };

/** The supervisor's events and their argument (one object each, so that fields can be added). */
export interface SupervisorEvents<TWorker extends WorkerLike = WorkerLike> {
  /** A worker was forked for a slot. */
  fork: [event: Of<TWorker> & { reason: StartReason }];
  /** A worker became ready; `startedIn` ms after its fork. */
  ready: [event: Of<TWorker> & { startedIn: number }];
  /**
   * A worker exited; `expected` when the supervisor retired it (reload, scale, shutdown, memory limit),
   * `false` for a crash, or a worker killed for hanging or not being ready in time.
   */
  exit: [event: Of<TWorker> & { code: number | null; signal: NodeJS.Signals | null; expected: boolean }];
  /** A slot's worker failed; the next one starts in `delay` ms. `failures` counts failures in a row. */
  restart: [event: { slot: Slot<TWorker>; delay: number; failures: number; cause: Error }];
  /** A slot gave up (`ERR_CLUSTER_RESTART_LIMIT`); the other slots keep serving. */
  giveUp: [event: { slot: Slot<TWorker>; error: SupervisorError }];
  /** A ready worker missed its heartbeats: it gets no new connections and is killed, then replaced. */
  unresponsive: [event: Of<TWorker> & { silentFor: number }];
  /** A worker's RSS stayed above `memoryLimit`: it is replaced through the rolling path. */
  memoryLimit: [event: Of<TWorker> & { rss: number; limit: number }];
  /** A replacement outside a reload (the memory limit) failed: the old worker keeps serving. */
  replaceFailed: [event: Of<TWorker> & { error: SupervisorError }];
  /** A worker started to drain: no new connections; it must finish its own by `deadline` (`Date.now()` time). */
  drain: [event: Of<TWorker> & { deadline: number }];
  /**
   * The supervisor sent a worker a signal: it outlived its drain `deadline`, it had `drained` but did not
   * exit, it was `unresponsive`, it was `not-ready` in time, or a second shutdown signal `forced` it.
   */
  kill: [event: Of<TWorker> & { signal: NodeJS.Signals; reason: KillReason }];
  /** A rolling reload started, over `total` slots. */
  reloadStart: [event: { total: number }];
  /** A slot of the reload was replaced (`done` of `total`). */
  reloadProgress: [event: Of<TWorker> & { done: number; total: number }];
  /** A rolling reload ended; `error` (`ERR_CLUSTER_RELOAD_FAILED`) if it stopped. */
  reloadEnd: [event: { replaced: number; error: SupervisorError | undefined }];
  /** `scale()` changed the number of slots. */
  scale: [event: { from: number; to: number }];
  /** A graceful shutdown started; `signal` when a signal asked for it. */
  shutdown: [event: { signal: NodeJS.Signals | undefined; deadline: number }];
  /** The shutdown is over: every worker has exited. */
  stopped: [event: ShutdownResult];
  /** A heartbeat arrived (emitted only while someone listens). */
  beat: [event: Of<TWorker> & { stats: WorkerSample }];
}
