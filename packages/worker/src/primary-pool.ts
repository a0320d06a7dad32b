import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { type Channel, createChannel, guardUserSend } from '@cluster/ipc';
import type { ClusterSettings } from '@cluster/settings';
import { type ForkOptions, forkWorkerProcess } from './fork.ts';
import { InspectPorts } from './inspect-port.ts';
import { CLUSTER_NAMESPACE, LIFECYCLE_ACTS, type PrimaryLifecycleApi, type WorkerLifecycleApi } from './protocol.ts';
import { Worker, type WorkerRole } from './worker.ts';

/** What the pool reports to the cluster object that owns it. */
export interface PoolEvents {
  /** Re-emits a worker event on the cluster, the worker first (`cluster.emit(name, worker, ...args)`). */
  emit(event: string, worker: Worker, ...args: unknown[]): void;
  /** The worker will share no more listeners (disconnected, died, or asked to disconnect). */
  releaseHandles(worker: Worker): void;
  /** The worker's channel exists; more acts (port sharing) can be registered on it. */
  attach(worker: Worker, channel: Channel): void;
}

export interface SpawnOptions {
  settings: ClusterSettings;
  env: NodeJS.ProcessEnv | undefined;
  preload: string;
}

/**
 * The primary's workers: forks them, keeps `workers` (keyed by id, live
 * workers only) and drives each worker's state machine from its process
 * events, in Node's order.
 */
export class WorkerPool {
  /** Live workers by `String(id)`, as `cluster.workers`; a plain object, as libraries expect. */
  readonly workers: Record<string, Worker> = {};
  readonly #events: PoolEvents;
  readonly #drained = new EventEmitter();
  readonly #inspectPorts = new InspectPorts();
  readonly #channels = new WeakMap<Worker, Channel<PrimaryLifecycleApi, WorkerLifecycleApi>>();
  #lastId = 0;

  constructor(events: PoolEvents) {
    this.#events = events;
  }

  #role: WorkerRole = {
    disconnect: (worker) => {
      worker.exitedAfterDisconnect = true;
      // The worker's bootstrap, a `--require` preload, listens before it reads any message: as in Node,
      // a request sent before 'online' reaches it.
      this.#channels.get(worker)?.notify('disconnect', null);
      this.#events.releaseHandles(worker);
      this.#remove(worker);
    },
    destroy: (worker, signal) => {
      // Node 20 signals right away; the API page's "disconnect first" is older behaviour.
      (worker.process as ChildProcess).kill(signal ?? 'SIGTERM');
    },
  };

  /** Forks a worker; `fork` is emitted on the next tick, as Node does. */
  spawn(options: SpawnOptions): Worker {
    const id = ++this.#lastId;
    const forkOptions: ForkOptions = { id, inspectPorts: this.#inspectPorts, ...options };
    const child: ChildProcess = forkWorkerProcess(forkOptions);
    guardUserSend(child);
    const worker = new Worker({ id, process: child, role: this.#role });
    // Invalid frames are warned about under the worker's name.
    const channel = createChannel<PrimaryLifecycleApi, WorkerLifecycleApi>(child, {
      namespace: CLUSTER_NAMESPACE,
      peer: `worker ${id}`,
    }).declare(LIFECYCLE_ACTS);
    this.#channels.set(worker, channel);
    const events = this.#events;

    worker.on('message', (message: unknown, handle: unknown) => events.emit('message', worker, message, handle));

    child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      // Leave the table only once both disconnected and exited, before the last of the two events.
      if (!worker.isConnected()) {
        events.releaseHandles(worker);
        this.#remove(worker);
      }
      worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
      worker.state = 'dead';
      worker.emit('exit', code, signal);
      events.emit('exit', worker, code, signal);
    });

    child.once('disconnect', () => {
      events.releaseHandles(worker);
      if (worker.isDead()) this.#remove(worker);
      worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
      worker.state = 'disconnected';
      worker.emit('disconnect');
      events.emit('disconnect', worker);
    });

    channel.handle('online', () => {
      // Once: a duplicated or replayed 'online' changes nothing.
      if (worker.state !== 'none') return;
      worker.state = 'online';
      worker.emit('online');
      events.emit('online', worker);
    });
    channel.handle('exitedAfterDisconnect', () => {
      worker.exitedAfterDisconnect = true;
      return true;
    });
    events.attach(worker, channel as unknown as Channel);

    process.nextTick(() => events.emit('fork', worker));
    this.workers[id] = worker;
    return worker;
  }

  /**
   * Disconnects every worker; `callback` runs once the table is empty.
   * As in Node, a worker leaves the table as soon as it is asked to
   * disconnect, and the callback waits for the next time the table drains.
   */
  disconnectAll(callback?: () => void): void {
    const workers = Object.values(this.workers);
    if (workers.length === 0) process.nextTick(() => this.#drained.emit('drained'));
    else for (const worker of workers) if (worker.isConnected()) worker.disconnect();
    if (typeof callback === 'function') this.#drained.once('drained', callback);
  }

  #remove(worker: Worker): void {
    delete this.workers[worker.id];
    if (Object.keys(this.workers).length === 0) this.#drained.emit('drained');
  }
}
