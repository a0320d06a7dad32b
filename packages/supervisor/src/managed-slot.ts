import { RestartBackoff } from './backoff.ts';
import type { WorkerLike } from './cluster-like.ts';
import {
  restartLimit,
  type SupervisorError,
  startFailed,
  supervisorStopped,
  workerExited,
  workerUnresponsive,
} from './errors.ts';
import { ManagedWorker, type ManagedWorkerHooks } from './managed-worker.ts';
import type { ResolvedOptions } from './options.ts';
import type { DrainOutcome, Slot, SlotState, SlotWorker, StartReason, SupervisorEvents } from './types.ts';

/** What a slot needs from its supervisor. */
export interface SlotContext<TWorker extends WorkerLike> {
  readonly options: ResolvedOptions;
  /** A shutdown has begun: nothing more starts. */
  readonly stopping: boolean;
  /** Forks a worker for `slot` (preload and environment set). */
  fork(slot: number): TWorker;
  /** The cluster's `pauseConnections`, where it has one. */
  readonly pause: ((worker: TWorker) => void) | undefined;
  /** The cluster's `resumeConnections`, where it has one. */
  readonly resume: ((worker: TWorker) => void) | undefined;
  emit<TEvent extends keyof SupervisorEvents<TWorker>>(event: TEvent, ...args: SupervisorEvents<TWorker>[TEvent]): void;
  listens(event: keyof SupervisorEvents<TWorker>): boolean;
  /** Queues the rolling replacement of a worker over its memory limit (never beside a reload). */
  replaceForMemory(slot: ManagedSlot<TWorker>, member: ManagedWorker<TWorker>): void;
}

/**
 * One slot: the place of one worker, which its replacements inherit with the slot number. It keeps a
 * current worker (ready or starting), at most one incoming worker (a reload's surge worker, so that
 * capacity never drops) and the old ones still draining; it respawns after a crash with backoff and
 * gives up after too many failures in a row, leaving the other slots to serve.
 */
export class ManagedSlot<TWorker extends WorkerLike> implements Slot<TWorker> {
  readonly id: number;
  /**
   * Resolves when the slot first has a ready worker; rejects with `ERR_CLUSTER_START_FAILED` if it gave
   * up before, or `ERR_CLUSTER_SUPERVISOR_STOPPED` if a shutdown came first.
   */
  readonly firstReady: Promise<void>;
  readonly #context: SlotContext<TWorker>;
  readonly #backoff: RestartBackoff;
  readonly #hooks: ManagedWorkerHooks<TWorker>;
  readonly #retired = new Set<ManagedWorker<TWorker>>();
  /** Why a worker the slot lost failed (a hang, a missed readiness), for its restart's `cause`. */
  readonly #failures = new WeakMap<ManagedWorker<TWorker>, Error>();
  #current: ManagedWorker<TWorker> | undefined;
  #incoming: ManagedWorker<TWorker> | undefined;
  #state: SlotState = 'starting';
  #restarts = 0;
  #timer: NodeJS.Timeout | undefined;
  #everReady = false;
  #settleFirst!: (error?: SupervisorError) => void;
  #stopped: Promise<DrainOutcome[]> | undefined;

  constructor(id: number, context: SlotContext<TWorker>) {
    this.id = id;
    this.#context = context;
    this.#backoff = new RestartBackoff(context.options.restart);
    this.firstReady = new Promise<void>((resolve, reject) => {
      this.#settleFirst = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.firstReady.catch(() => {});
    this.#hooks = {
      ready: (member) => this.#onReady(member),
      exit: (member, code, signal) => this.#onExit(member, code, signal),
      beat: (member, stats) => {
        if (this.#context.listens('beat')) this.#context.emit('beat', { slot: this, worker: member.worker, stats });
      },
      overMemory: (member, rss) => this.#onOverMemory(member, rss),
      drain: (member, deadline) => this.#context.emit('drain', { slot: this, worker: member.worker, deadline }),
      kill: (member, signal, reason) =>
        this.#context.emit('kill', { slot: this, worker: member.worker, signal, reason }),
    };
  }

  get state(): SlotState {
    return this.#state;
  }

  get worker(): TWorker | undefined {
    return this.#current?.worker;
  }

  get pid(): number | undefined {
    return this.#current?.pid;
  }

  get workers(): readonly SlotWorker<TWorker>[] {
    return [...new Set([this.#current, this.#incoming, ...this.#retired])].filter(
      (member): member is ManagedWorker<TWorker> => member !== undefined,
    );
  }

  get restarts(): number {
    return this.#restarts;
  }

  get uptime(): number {
    return this.#current?.healthyFor ?? 0;
  }

  get stats() {
    return this.#current?.stats;
  }

  /** The slot's current worker, if it is ready and not on its way out (the heartbeat monitor checks those). */
  get serving(): ManagedWorker<TWorker> | undefined {
    const current = this.#current;
    return current?.state === 'ready' ? current : undefined;
  }

  /** Starts the slot's first worker. */
  start(reason: StartReason): void {
    this.#current = this.#spawn(reason);
  }

  /**
   * The rolling path: starts a new worker beside the current one; once it is ready, it takes the slot
   * and the old one drains, and the promise resolves when the old one has exited. If the new worker
   * crashes or is not ready in time, it is killed, the old one keeps serving, and the promise rejects
   * with that failure.
   */
  async replace(reason: StartReason): Promise<void> {
    if (this.#isStopping()) throw supervisorStopped();
    // A restart that was due is part of this.
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const old = this.#current;
    const incoming = this.#spawn(reason);
    this.#incoming = incoming;
    if (old === undefined) {
      this.#current = incoming;
      this.#state = 'starting';
    }
    try {
      await incoming.ready;
    } catch (error) {
      if (this.#incoming === incoming) this.#incoming = undefined;
      await incoming.gone('not-ready');
      if (this.#current === incoming) this.#current = undefined;
      if (this.#isStopping()) throw supervisorStopped();
      // Nothing serves here (the slot was failed, restarting, or its old worker died meanwhile).
      if (this.#current === undefined) this.#restartLater(error as Error, 0);
      throw error;
    }
    this.#incoming = undefined;
    this.#backoff.reset();
    if (this.#current !== incoming) {
      this.#current = incoming;
      this.#state = 'ready';
    }
    if (old !== undefined && old !== incoming) {
      await this.#retire(old, Date.now() + this.#context.options.drain.timeout);
    }
  }

  /** `replace('memory')` if `member` is still the slot's serving worker (a reload may have replaced it). */
  async replaceOverMemory(member: ManagedWorker<TWorker>): Promise<void> {
    if (this.#current !== member || member.state !== 'ready' || this.#isStopping()) return;
    this.#restarts += 1;
    await this.replace('memory');
  }

  /** The heartbeat monitor found `member` silent: it gets no new connections, is killed, and replaced. */
  unresponsive(member: ManagedWorker<TWorker>, silentFor: number): void {
    if (member.state !== 'ready') return;
    const timeout = Math.round(silentFor);
    this.#failures.set(member, workerUnresponsive(this.id, member.pid, timeout));
    this.#context.emit('unresponsive', { slot: this, worker: member.worker, silentFor: timeout });
    member.terminate('unresponsive');
  }

  /**
   * Removes the slot's workers: each drains by `deadline` (a second call can only move it earlier).
   * Resolves, with how each drain ended, once they have all exited.
   */
  stop(deadline: number): Promise<DrainOutcome[]> {
    if (this.#stopped !== undefined) {
      for (const member of this.#members()) member.drain(deadline);
      return this.#stopped;
    }
    this.#state = 'stopping';
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#everReady) this.#settleFirst(supervisorStopped());
    this.#stopped = Promise.all(this.#members().map((member) => this.#retire(member, deadline))).then((outcomes) => {
      this.#state = 'stopped';
      return outcomes;
    });
    return this.#stopped;
  }

  /** SIGKILL to every worker of the slot (a second shutdown signal). */
  kill(): void {
    for (const member of this.#members()) member.kill();
  }

  #members(): ManagedWorker<TWorker>[] {
    return this.workers as ManagedWorker<TWorker>[];
  }

  #isStopping(): boolean {
    return this.#stopped !== undefined || this.#context.stopping;
  }

  #spawn(reason: StartReason): ManagedWorker<TWorker> {
    const worker = this.#context.fork(this.id);
    const { options, pause, resume } = this.#context;
    const member = new ManagedWorker(worker, this.id, reason, options, this.#hooks, { pause, resume });
    member.ready.catch((error: Error) => this.#failures.set(member, error));
    this.#context.emit('fork', { slot: this, worker, reason });
    return member;
  }

  #retire(member: ManagedWorker<TWorker>, deadline: number): Promise<DrainOutcome> {
    if (member.state !== 'exited') this.#retired.add(member);
    return member.drain(deadline);
  }

  #onReady(member: ManagedWorker<TWorker>): void {
    if (member === this.#current && !this.#isStopping()) this.#state = 'ready';
    if (!this.#everReady) {
      this.#everReady = true;
      this.#settleFirst();
    }
    const startedIn = (member.readyAt ?? member.startedAt) - member.startedAt;
    this.#context.emit('ready', { slot: this, worker: member.worker, startedIn });
  }

  #onExit(member: ManagedWorker<TWorker>, code: number | null, signal: NodeJS.Signals | null): void {
    this.#retired.delete(member);
    const expected = member.retiring;
    this.#context.emit('exit', { slot: this, worker: member.worker, code, signal, expected });
    // An incoming worker's failure is the reload's to handle; a retired one was meant to go.
    if (member !== this.#current || member === this.#incoming) return;
    this.#current = undefined;
    if (expected || this.#isStopping()) return;
    if (this.#incoming !== undefined) {
      // Its replacement is already on its way and takes the slot when ready.
      this.#state = 'starting';
      return;
    }
    const cause =
      this.#failures.get(member) ?? workerExited(this.id, member.pid, code, signal, member.readyAt === undefined);
    this.#restartLater(cause, member.healthyFor);
  }

  #restartLater(cause: Error, healthyFor: number): void {
    const delay = this.#backoff.next(healthyFor);
    if (delay === undefined) {
      this.#giveUp(cause);
      return;
    }
    this.#state = 'restarting';
    this.#context.emit('restart', { slot: this, delay, failures: this.#backoff.failures, cause });
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#isStopping() || this.#current !== undefined) return;
      this.#restarts += 1;
      this.#state = 'starting';
      this.#current = this.#spawn('restart');
    }, delay);
  }

  #giveUp(cause: Error): void {
    this.#state = 'failed';
    const error = restartLimit(this.id, this.#backoff.failures, cause);
    if (this.#context.listens('giveUp')) this.#context.emit('giveUp', { slot: this, error });
    else process.emitWarning(error.message, { type: 'SupervisorWarning', code: error.code });
    if (!this.#everReady) this.#settleFirst(startFailed(this.id, error));
  }

  #onOverMemory(member: ManagedWorker<TWorker>, rss: number): void {
    if (member !== this.#current || this.#isStopping()) return;
    const limit = this.#context.options.memoryLimit;
    this.#context.emit('memoryLimit', { slot: this, worker: member.worker, rss, limit });
    this.#context.replaceForMemory(this, member);
  }
}
