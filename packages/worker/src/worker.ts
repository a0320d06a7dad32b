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
    proc?.on('error', (...args: unknown[]) => this.emit('error', ...args));
    proc?.on('message', (message: unknown, handle: unknown) => this.emit('message', message, handle));
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
