import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

/** A worker's place in its life: none → online → listening → disconnected → dead. */
export type WorkerState = 'none' | 'online' | 'listening' | 'disconnecting' | 'disconnected' | 'destroying' | 'dead';

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

  constructor(options: WorkerOptions) {
    super();
    this.id = options.id | 0;
    this.process = options.process;
    this.state = options.state ?? 'none';
    this.#role = options.role;
    const proc = this.process as EventEmitter;
    proc.on('error', (...args: unknown[]) => this.emit('error', ...args));
    proc.on('message', (message: unknown, handle: unknown) => this.emit('message', message, handle));
  }

  /** Sends a message (and optionally a handle) to the other side, as `child.send()` / `process.send()`. */
  send(...args: Parameters<NonNullable<NodeJS.Process['send']>>): boolean {
    const send = this.process.send as ((...rest: unknown[]) => boolean) | undefined;
    if (send === undefined) throw new Error('The worker has no IPC channel');
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
