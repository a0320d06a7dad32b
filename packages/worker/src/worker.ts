import type { ChildProcess, MessageOptions, SendHandle, Serializable } from 'node:child_process';
import { EventEmitter } from 'node:events';

/** A worker's place in its life: none → online → listening → disconnected → dead. */
export type WorkerState = 'none' | 'online' | 'listening' | 'disconnecting' | 'disconnected' | 'destroying' | 'dead';

type SendCallback = (error: Error | null) => void;

/** What differs between the primary's view of a worker and the worker's view of itself. */
export interface WorkerRole {
  disconnect(worker: Worker): void;
  destroy(worker: Worker, signal: NodeJS.Signals | number | undefined): void;
}

export interface WorkerOptions {
  id: number;
  /** The worker's `ChildProcess` in the primary; `process` in the worker. */
  process: ChildProcess | NodeJS.Process;
  state?: WorkerState;
  role: WorkerRole;
}

/** The role of a worker built without one: it has no process to disconnect or kill. */
const DETACHED: WorkerRole = {
  disconnect() {
    throw new TypeError('This worker has no process');
  },
  destroy() {
    throw new TypeError('This worker has no process');
  },
};

/**
 * One worker, as `cluster.Worker`: the same object in every event and in
 * `cluster.workers`, open to properties that libraries add to it.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface below only types EventEmitter's own methods.
export class Worker extends EventEmitter {
  /** Unique among the workers of this primary; ids are never reused. */
  readonly id: number;
  /** The worker's `ChildProcess` in the primary; the global `process` in the worker. */
  readonly process: ChildProcess | NodeJS.Process;
  /** `true` if the worker left through `disconnect()`, `false` if any other way; `undefined` until then. */
  exitedAfterDisconnect: boolean | undefined = undefined;
  state: WorkerState;
  readonly #role: WorkerRole;

  // Like Node's, constructible with no options (`new cluster.Worker()`): id 0, state 'none', no process.
  constructor(options: Partial<WorkerOptions> = {}) {
    super();
    this.id = (options.id ?? 0) | 0;
    this.process = options.process as ChildProcess | NodeJS.Process;
    this.state = options.state ?? 'none';
    this.#role = options.role ?? DETACHED;
    const proc = this.process as EventEmitter | undefined;
    proc?.on('error', (...args: unknown[]) => this.emit('error', ...(args as [Error])));
    proc?.on('message', (message: unknown, handle?: MessageHandle) => this.emit('message', message, handle));
  }

  /** Sends a message (and optionally a handle) to the other side, as `child.send()` / `process.send()`. */
  send(message: Serializable, callback?: SendCallback): boolean;
  send(message: Serializable, sendHandle?: SendHandle | null, callback?: SendCallback): boolean;
  send(
    message: Serializable,
    sendHandle?: SendHandle | null,
    options?: MessageOptions | null,
    callback?: SendCallback,
  ): boolean;
  send(...args: unknown[]): boolean {
    // As Node: whatever `send` the process has (a TypeError if it has none).
    const send = this.process.send as (...rest: unknown[]) => boolean;
    return Reflect.apply(send, this.process, args);
  }

  /** Closes the worker's servers, then its IPC channel. */
  disconnect(): this {
    this.#role.disconnect(this);
    return this;
  }

  /** Kills the worker process with `signal` (default `'SIGTERM'`). */
  kill(signal?: NodeJS.Signals | number): void {
    this.#role.destroy(this, signal);
  }

  /** Alias of `kill()`, kept for compatibility as Node keeps it. */
  destroy(signal?: NodeJS.Signals | number): void {
    this.#role.destroy(this, signal);
  }

  /** Whether the IPC channel to the primary is open. */
  isConnected(): boolean {
    return this.process.connected === true;
  }

  /** Whether the worker's process has exited or was killed. */
  isDead(): boolean {
    return this.process.exitCode != null || (this.process as ChildProcess).signalCode != null;
  }
}

/** The address of a worker's `'listening'` event. */
export interface WorkerAddress {
  /** `4`, `6`, `-1` (Unix socket), `'udp4'` or `'udp6'`. */
  addressType: 4 | 6 | -1 | 'udp4' | 'udp6';
  address: string | null;
  port: number;
  fd?: number | undefined;
}

/** A handle that travels with a message: a socket or server, as `child_process` passes them. */
export type MessageHandle = import('node:net').Socket | import('node:net').Server | import('node:dgram').Socket;

/** The events of a `Worker` and their arguments. */
export interface WorkerEvents {
  /** The IPC channel closed. */
  disconnect: [];
  error: [error: Error];
  /** The process ended: `code` if it exited, `signal` if it was killed. */
  exit: [code: number | null, signal: NodeJS.Signals | null];
  /** The worker's server is listening (primary only). */
  listening: [address: WorkerAddress];
  // biome-ignore lint/suspicious/noExplicitAny: a message is whatever the other side sent, as in child_process.
  message: [message: any, handle: MessageHandle | undefined];
  /** The worker is running (primary only). */
  online: [];
}

type WorkerListener<TEvent extends keyof WorkerEvents> = (...args: WorkerEvents[TEvent]) => void;
// biome-ignore lint/suspicious/noExplicitAny: other events carry what their emitter gives, as on any EventEmitter.
type AnyListener = (...args: any[]) => void;
/** Any event but the typed ones, so that a wrong listener for a typed event does not compile. */
type OtherEvent<TEvent> = TEvent extends keyof WorkerEvents ? never : TEvent;

// Typed events, with EventEmitter's open signature kept for events of one's own.
export interface Worker {
  addListener<TEvent extends keyof WorkerEvents>(event: TEvent, listener: WorkerListener<TEvent>): this;
  addListener<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  on<TEvent extends keyof WorkerEvents>(event: TEvent, listener: WorkerListener<TEvent>): this;
  on<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  once<TEvent extends keyof WorkerEvents>(event: TEvent, listener: WorkerListener<TEvent>): this;
  once<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  prependListener<TEvent extends keyof WorkerEvents>(event: TEvent, listener: WorkerListener<TEvent>): this;
  prependListener<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  prependOnceListener<TEvent extends keyof WorkerEvents>(event: TEvent, listener: WorkerListener<TEvent>): this;
  prependOnceListener<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  off<TEvent extends keyof WorkerEvents>(event: TEvent, listener: WorkerListener<TEvent>): this;
  off<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  removeListener<TEvent extends keyof WorkerEvents>(event: TEvent, listener: WorkerListener<TEvent>): this;
  removeListener<TEvent extends string | symbol>(event: OtherEvent<TEvent>, listener: AnyListener): this;
  emit<TEvent extends keyof WorkerEvents>(event: TEvent, ...args: WorkerEvents[TEvent]): boolean;
  emit<TEvent extends string | symbol>(event: OtherEvent<TEvent>, ...args: unknown[]): boolean;
}
