import { performance } from 'node:perf_hooks';
import { type Channel, createChannel } from '@cluster/ipc';
import { signalWorker, type WorkerLike } from './cluster-like.ts';
import { Drain, type KillReason } from './drain.ts';
import { readyTimeout, type SupervisorError, workerExited } from './errors.ts';
import { MEMORY_LIMIT_SAMPLES, type ResolvedOptions } from './options.ts';
import {
  type DrainBody,
  type PrimarySupervisorApi,
  type PromMetricsReply,
  SUPERVISOR_NAMESPACE,
  type WorkerMetricsSample,
  type WorkerSample,
  type WorkerSupervisorApi,
} from './protocol.ts';
import type { DrainOutcome, SlotWorker, StartReason, WorkerState } from './types.ts';

/** What a managed worker tells its slot. */
export interface ManagedWorkerHooks<TWorker extends WorkerLike> {
  ready(member: ManagedWorker<TWorker>): void;
  exit(member: ManagedWorker<TWorker>, code: number | null, signal: NodeJS.Signals | null): void;
  beat(member: ManagedWorker<TWorker>, sample: WorkerSample): void;
  /** Its RSS stayed above the memory limit for `MEMORY_LIMIT_SAMPLES` beats (told once). */
  overMemory(member: ManagedWorker<TWorker>, rss: number): void;
  drain(member: ManagedWorker<TWorker>, deadline: number): void;
  kill(member: ManagedWorker<TWorker>, signal: NodeJS.Signals, reason: KillReason): void;
}

/** The cluster's `pauseConnections`/`resumeConnections`, where it has them. */
export interface Routing<TWorker extends WorkerLike> {
  readonly pause: ((worker: TWorker) => void) | undefined;
  readonly resume: ((worker: TWorker) => void) | undefined;
}

/**
 * One worker process the supervisor forked: its readiness (the first `'listening'`, or the ready message,
 * within the timeout), its heartbeats and memory samples, and the way it leaves (a drain, or a kill).
 * The supervisor's channel to its worker side is opened at once, before the process can say hello.
 */
export class ManagedWorker<TWorker extends WorkerLike> implements SlotWorker<TWorker> {
  readonly worker: TWorker;
  readonly slot: number;
  readonly reason: StartReason;
  readonly startedAt = Date.now();
  /** Resolves when the worker is ready; rejects with `ERR_CLUSTER_READY_TIMEOUT` or `ERR_CLUSTER_WORKER_EXITED`. */
  readonly ready: Promise<void>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  readonly #options: ResolvedOptions;
  readonly #hooks: ManagedWorkerHooks<TWorker>;
  readonly #routing: Routing<TWorker>;
  readonly #channel: Channel<PrimarySupervisorApi, WorkerSupervisorApi>;
  #state: WorkerState = 'starting';
  #readyAt: number | undefined;
  #lastSign = 0;
  #stats: WorkerSample | undefined;
  #hello = false;
  #parts: readonly string[] = [];
  #overLimit = 0;
  #retiring = false;
  #listened = false;
  #gated = false;
  #readyTimer: NodeJS.Timeout | undefined;
  #settle!: (error?: SupervisorError) => void;
  #exit!: () => void;
  #drain: Drain | undefined;
  #onMessage: ((message: unknown) => void) | undefined;

  constructor(
    worker: TWorker,
    slot: number,
    reason: StartReason,
    options: ResolvedOptions,
    hooks: ManagedWorkerHooks<TWorker>,
    routing: Routing<TWorker>,
  ) {
    this.worker = worker;
    this.slot = slot;
    this.reason = reason;
    this.#options = options;
    this.#hooks = hooks;
    this.#routing = routing;
    this.ready = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Whoever awaits it handles the rejection; a worker nobody waits for must not crash the primary.
    this.ready.catch(() => {});
    this.exited = new Promise((resolve) => {
      this.#exit = resolve;
    });
    this.#channel = createChannel<PrimarySupervisorApi, WorkerSupervisorApi>(worker.process, {
      namespace: SUPERVISOR_NAMESPACE,
    });
    this.#channel.handle('hello', ({ parts }) => {
      this.#hello = true;
      this.#parts = Array.isArray(parts) ? parts : [];
    });
    this.#channel.handle('beat', (sample) => this.#onBeat(sample));
    this.#awaitReadiness();
    worker.once('exit', (code: number | null, signal: NodeJS.Signals | null) => this.#onExit(code, signal));
  }

  get pid(): number | undefined {
    return this.worker.process.pid;
  }

  get state(): WorkerState {
    return this.#state;
  }

  get readyAt(): number | undefined {
    return this.#readyAt;
  }

  get stats(): WorkerSample | undefined {
    return this.#stats;
  }

  /** Whether the supervisor retired it (drain for a reload, scale-down, shutdown, memory limit). */
  get retiring(): boolean {
    return this.#retiring;
  }

  /** Whether its worker side said hello (it beats, and can be asked to drain). */
  get hasWorkerSide(): boolean {
    return this.#hello;
  }

  /** How long it has been ready, ms (0 if it is not). */
  get healthyFor(): number {
    return this.#readyAt === undefined ? 0 : Date.now() - this.#readyAt;
  }

  /** Whether its worker side runs the part `name` (`'metrics'` when `options.metrics` is on). */
  hasPart(name: string): boolean {
    return this.#parts.includes(name);
  }

  /** Asks its worker side for a metrics sample; rejects after `timeout` ms or when it is gone. */
  requestMetrics(timeout: number): Promise<WorkerMetricsSample> {
    return this.#channel.request('metrics', {}, { timeout });
  }

  /** Asks its worker side for its prom-client registry as JSON; rejects after `timeout` ms or when it is gone. */
  requestPromMetrics(timeout: number): Promise<PromMetricsReply> {
    return this.#channel.request('promMetrics', {}, { timeout });
  }

  /** Milliseconds since its last heartbeat (or since it became ready, before the first one). */
  silentFor(now: number): number {
    return now - this.#lastSign;
  }

  /**
   * Drains it (see `Drain`), by `deadline`; resolves when it has exited. A second call moves the deadline
   * of the first earlier if it is.
   */
  drain(deadline: number): Promise<DrainOutcome> {
    this.#retiring = true;
    return this.#startDrain(deadline);
  }

  /** SIGTERM now, SIGKILL after `killTimeout`: for a worker that cannot be drained. Resolves at its exit. */
  terminate(reason: KillReason): Promise<DrainOutcome> {
    if (this.#state === 'exited') return Promise.resolve({ drained: false, signal: undefined });
    if (this.#state !== 'draining') this.#routing.pause?.(this.worker);
    this.#state = 'stopping';
    const drain = this.#drain ?? this.#makeDrain(Date.now());
    drain.terminate(reason);
    return drain.done;
  }

  /** Resolves at its exit: after the drain or the kill under way, or after SIGTERM now if none is. */
  gone(reason: KillReason): Promise<DrainOutcome> {
    return this.#drain?.done ?? this.terminate(reason);
  }

  /** SIGKILL now. */
  kill(): void {
    if (this.#state === 'exited') return;
    this.#state = 'stopping';
    (this.#drain ?? this.#makeDrain(Date.now())).kill();
  }

  #startDrain(deadline: number): Promise<DrainOutcome> {
    if (this.#drain !== undefined) {
      this.#drain.tighten(deadline);
      return this.#drain.done;
    }
    if (this.#state === 'exited') return Promise.resolve({ drained: true, signal: undefined });
    this.#state = 'draining';
    this.#routing.pause?.(this.worker);
    const drain = this.#makeDrain(deadline);
    this.#hooks.drain(this, deadline);
    drain.start();
    return drain.done;
  }

  #makeDrain(deadline: number): Drain {
    this.#clearReadiness();
    const drain = new Drain(
      {
        canDrain: this.#hello && this.#channel.isOpen,
        requestDrain: (body: DrainBody, timeout: number): Promise<null> =>
          this.#channel.request('drain', body, { timeout }),
        disconnect: () => this.#disconnect(),
        signal: (signal) => signalWorker(this.worker, signal),
      },
      {
        deadline,
        idleTimeout: this.#options.drain.idleTimeout,
        killTimeout: this.#options.drain.killTimeout,
        onKill: (signal, reason) => {
          if (this.#state === 'draining') this.#state = 'stopping';
          this.#hooks.kill(this, signal, reason);
        },
      },
    );
    this.#drain = drain;
    return drain;
  }

  #disconnect(): Promise<void> {
    const { worker } = this;
    if (this.#state === 'exited' || !worker.isConnected()) return Promise.resolve();
    return new Promise((resolve) => {
      worker.once('disconnect', () => resolve());
      this.exited.then(() => resolve());
      worker.disconnect();
    });
  }

  #awaitReadiness(): void {
    const { readiness } = this.#options;
    this.worker.once('listening', () => {
      this.#listened = true;
    });
    // Where the cluster can, a worker that listens before it says it is ready gets no connection
    // until it does (node:cluster hands it connections as soon as it listens).
    if (readiness.on === 'message' && this.#routing.pause !== undefined) {
      this.#routing.pause(this.worker);
      this.#gated = true;
    }
    if (readiness.on === 'listening') {
      this.worker.once('listening', () => this.#becomeReady());
    } else {
      const onMessage = (message: unknown) => {
        if (message === readiness.message) this.#becomeReady();
      };
      this.#onMessage = onMessage;
      this.worker.on('message', onMessage);
    }
    this.#readyTimer = setTimeout(() => {
      if (this.#state !== 'starting') return;
      this.#settle(readyTimeout(this.slot, this.pid, readiness.timeout));
      // One that listens may be serving requests already (over node:cluster): those finish first.
      // Not retiring: it failed, and its slot treats its exit as one.
      if (this.#listened && !this.#gated) this.#startDrain(Date.now() + this.#options.drain.timeout);
      else this.terminate('not-ready');
    }, readiness.timeout);
  }

  #clearReadiness(): void {
    clearTimeout(this.#readyTimer);
    if (this.#onMessage !== undefined) this.worker.off('message', this.#onMessage);
    this.#onMessage = undefined;
  }

  #becomeReady(): void {
    if (this.#state !== 'starting') return;
    this.#clearReadiness();
    this.#state = 'ready';
    this.#readyAt = Date.now();
    this.#lastSign = performance.now();
    if (this.#gated) this.#routing.resume?.(this.worker);
    this.#gated = false;
    this.#settle();
    this.#hooks.ready(this);
  }

  #onBeat(sample: WorkerSample): void {
    this.#lastSign = performance.now();
    this.#stats = sample;
    this.#hooks.beat(this, sample);
    const limit = this.#options.memoryLimit;
    if (limit === 0 || this.#state !== 'ready') return;
    if (typeof sample.rss === 'number' && sample.rss > limit) {
      this.#overLimit += 1;
      if (this.#overLimit === MEMORY_LIMIT_SAMPLES) this.#hooks.overMemory(this, sample.rss);
    } else if (this.#overLimit < MEMORY_LIMIT_SAMPLES) {
      this.#overLimit = 0;
    }
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const wasReady = this.#readyAt !== undefined;
    this.#clearReadiness();
    this.#state = 'exited';
    this.#channel.close();
    if (!wasReady) this.#settle(workerExited(this.slot, this.pid, code, signal));
    this.#drain?.exited();
    this.#exit();
    this.#hooks.exit(this, code, signal);
  }
}
