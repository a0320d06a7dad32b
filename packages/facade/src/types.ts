import type { EventEmitter } from 'node:events';
import type { ListenerStats, ListeningInfo } from '@cluster/net';
import type { BuiltinPolicyName, SchedulingPolicy } from '@cluster/scheduler';
import type { ClusterSettings, SCHED_NONE, SCHED_RR } from '@cluster/settings';
import type { MessageHandle, Worker } from '@cluster/worker';

/** `cluster.settings`, plus the balancing policy Node never had. */
export interface Settings extends ClusterSettings {
  /**
   * The SCHED_RR balancing policy: a built-in's name or a policy object. Default: `'round-robin'`.
   * `'balanced'` (given by the first `setupPrimary()`) selects the balanced kernel-accept mode instead:
   * `cluster.schedulingPolicy` then reads `SCHED_NONE`.
   */
  policy?: BuiltinPolicyName | 'balanced' | SchedulingPolicy;
}

/** The address object of `'listening'` events. */
export type Address = ListeningInfo;

/** The events of the `cluster` object (emitted in the primary) and their arguments. */
export interface ClusterEvents {
  /** A worker's IPC channel closed. */
  disconnect: [worker: Worker];
  /** A worker's process ended: `code` if it exited, `signal` if it was killed. */
  exit: [worker: Worker, code: number | null, signal: NodeJS.Signals | null];
  /** A worker was forked. */
  fork: [worker: Worker];
  /** A worker's server is listening. */
  listening: [worker: Worker, address: Address];
  /** A worker sent a message. */
  // biome-ignore lint/suspicious/noExplicitAny: a message is whatever the worker sent, as in child_process.
  message: [worker: Worker, message: any, handle: MessageHandle | undefined];
  /** A worker is running. */
  online: [worker: Worker];
  /** `setupPrimary()` was called; the settings at that time. */
  setup: [settings: Settings];
}

type ClusterListener<TEvent extends keyof ClusterEvents> = (...args: ClusterEvents[TEvent]) => void;
// biome-ignore lint/suspicious/noExplicitAny: other events carry what their emitter gives, as on any EventEmitter.
type AnyListener = (...args: any[]) => void;
/** Any event but the typed ones, so that a wrong listener for a typed event does not compile. */
type OtherEvent<TEvent> = TEvent extends keyof ClusterEvents ? never : TEvent;

/**
 * The `cluster` object, as `node:cluster` exports it, in either role.
 * Like `node:cluster`'s own types it has one shape for both: the primary-only
 * members are there in a worker's type too (and absent at run time).
 */
export interface Cluster extends EventEmitter {
  /** `true` in the primary (the process was not forked by a cluster primary). */
  readonly isPrimary: boolean;
  /** Deprecated alias of `isPrimary`. */
  readonly isMaster: boolean;
  /** `true` in a worker: the negation of `isPrimary`. */
  readonly isWorker: boolean;
  readonly Worker: typeof Worker;
  readonly SCHED_NONE: typeof SCHED_NONE;
  readonly SCHED_RR: typeof SCHED_RR;
  /** `SCHED_RR` or `SCHED_NONE`; settable until the first `fork()` or `setupPrimary()`, then frozen. */
  schedulingPolicy: typeof SCHED_NONE | typeof SCHED_RR;
  /** The settings later forks use, defaults filled in after the first `setupPrimary()` (primary only). */
  settings: Settings;
  /** Live workers by `String(id)`; primary only. */
  workers?: Record<string, Worker>;
  /** This worker; in a worker only. */
  worker?: Worker;
  /** Changes the settings of later forks (primary only). */
  setupPrimary(settings?: Settings): void;
  /** Deprecated alias of `setupPrimary()`. */
  setupMaster(settings?: Settings): void;
  /** Spawns a worker; `env` is added to its environment (primary only). */
  fork(env?: NodeJS.ProcessEnv): Worker;
  /** Disconnects every worker, then calls `callback` (primary only). */
  disconnect(callback?: () => void): void;
  /**
   * Beyond Node (primary only): the primary stops handing new connections to `worker` at once, on every
   * shared server it has joined or joins later, until `resumeConnections(worker)`. Its open connections and
   * its servers stay. A supervisor drains a worker this way. In the balanced mode the worker stops accepting
   * on the shared socket. Under plain SCHED_NONE workers accept by themselves and this changes nothing.
   */
  pauseConnections(worker: Worker): void;
  /** Undoes `pauseConnections(worker)` (primary only). */
  resumeConnections(worker: Worker): void;
  /**
   * Beyond Node (primary only): every shared listener with, per worker id, the connections it holds open
   * now (as the worker last reported, within `LOAD_REPORT_DELAY_MS` of a change) and those the primary handed it
   * (round-robin; `null` under SCHED_NONE, where workers accept by themselves). Empty before any listen.
   */
  connectionStats(): ListenerStats[];

  addListener<TEvent extends keyof ClusterEvents>(event: TEvent, listener: ClusterListener<TEvent>): this;
  addListener<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  on<TEvent extends keyof ClusterEvents>(event: TEvent, listener: ClusterListener<TEvent>): this;
  on<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  once<TEvent extends keyof ClusterEvents>(event: TEvent, listener: ClusterListener<TEvent>): this;
  once<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  prependListener<TEvent extends keyof ClusterEvents>(event: TEvent, listener: ClusterListener<TEvent>): this;
  prependListener<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  prependOnceListener<TEvent extends keyof ClusterEvents>(event: TEvent, listener: ClusterListener<TEvent>): this;
  prependOnceListener<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  off<TEvent extends keyof ClusterEvents>(event: TEvent, listener: ClusterListener<TEvent>): this;
  off<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  removeListener<TEvent extends keyof ClusterEvents>(event: TEvent, listener: ClusterListener<TEvent>): this;
  removeListener<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  emit<TEvent extends keyof ClusterEvents>(event: TEvent, ...args: ClusterEvents[TEvent]): boolean;
  emit<TEvent extends string | symbol>(event: OtherEvent<TEvent>, ...args: unknown[]): boolean;
}
