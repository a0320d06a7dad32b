import { EventEmitter } from 'node:events';
import type { ClusterLike, WorkerLike } from './cluster-like.ts';
import type { ManagedSlot } from './managed-slot.ts';
import type { ManagedWorker } from './managed-worker.ts';
import type { MetricsOptions } from './options.ts';
import type { PromMetricJson, WorkerMetricsSample } from './protocol.ts';
import type { SlotState, StartReason, SupervisorEvents, WorkerState } from './types.ts';

/** How many events (forks, exits, restarts, reloads…) the metrics keep for charts. */
export const MAX_METRICS_EVENTS = 500;

/** One worker process as the last sample saw it. Figures are `null` when it did not answer (or cannot). */
export interface WorkerMetrics {
  readonly slot: number;
  readonly pid: number;
  /** The cluster's `worker.id`. */
  readonly id: number;
  readonly state: WorkerState;
  readonly reason: StartReason;
  /** Whether it answered the last request within `options.metrics.timeout`. */
  readonly up: boolean;
  /** Milliseconds since it was forked. */
  readonly uptime: number;
  /** Percent of one CPU over the last interval (200 is two CPUs' worth). */
  readonly cpuPercent: number | null;
  /** The last answer, as the worker measured it. */
  readonly sample: WorkerMetricsSample | null;
  /** Open connections on its shared servers now, summed over them; `null` without `cluster.connectionStats()`. */
  readonly connections: number | null;
  /** Connections the primary handed it (round-robin), summed; `null` when it accepts by itself. */
  readonly handed: number | null;
}

/** One slot, as the last sample saw it. */
export interface SlotMetrics {
  readonly slot: number;
  readonly state: SlotState;
  readonly pid: number | null;
  readonly restarts: number;
  /** Milliseconds its current worker has been ready (0 when it is not). */
  readonly uptime: number;
}

/** Every slot and worker at one moment. */
export interface MetricsSnapshot {
  /** `Date.now()` of the sample. */
  readonly at: number;
  readonly slots: readonly SlotMetrics[];
  readonly workers: readonly WorkerMetrics[];
}

/** One point of the history: the chartable figures of each worker. */
export interface MetricsPoint {
  readonly at: number;
  readonly workers: ReadonlyArray<{
    readonly slot: number;
    readonly pid: number;
    readonly up: boolean;
    readonly cpuPercent: number | null;
    readonly rss: number | null;
    readonly heapUsed: number | null;
    readonly loopDelayP99: number | null;
    readonly loopUtilization: number | null;
    readonly connections: number | null;
    readonly handed: number | null;
  }>;
}

/** Something that happened to a slot or the whole cluster, to mark on charts. */
export interface MetricsEvent {
  readonly at: number;
  readonly type:
    | 'fork'
    | 'exit'
    | 'restart'
    | 'unresponsive'
    | 'memoryLimit'
    | 'reloadStart'
    | 'reloadEnd'
    | 'scale'
    | 'shutdown';
  readonly slot?: number;
  readonly pid?: number;
  /** A few words: the start reason, the exit code or signal, the scale. */
  readonly detail?: string;
}

/** One worker's prom-client registry, or why it is missing. */
export interface PromClientWorker {
  readonly slot: number;
  readonly pid: number;
  /**
   * Whether nothing is missing: it answered in time, or its last sample said it has no prom-client (then
   * it is not asked). A worker without prom-client has `metrics: null`.
   */
  readonly up: boolean;
  readonly metrics: readonly PromMetricJson[] | null;
}

export interface SupervisorMetricsEvents {
  /** A sample of every worker was taken (every `options.metrics.interval`). */
  sample: [snapshot: MetricsSnapshot];
  /** A fork, exit, restart, reload… was recorded. */
  event: [event: MetricsEvent];
}

interface Source<TWorker extends WorkerLike> {
  cluster: ClusterLike<TWorker>;
  slots: () => readonly ManagedSlot<TWorker>[];
  on: <TEvent extends keyof SupervisorEvents<TWorker>>(
    event: TEvent,
    listener: (...args: SupervisorEvents<TWorker>[TEvent]) => void,
  ) => void;
}

/**
 * The supervisor's metrics (`supervisor.metrics`, with `options.metrics`): every interval it asks each
 * worker's side for a sample over the internal channel (never seen by user `'message'` listeners), adds
 * the cluster's connection counts, and keeps the last `history` samples and the recent events for charts.
 * A worker that does not answer within `timeout` is reported `up: false`; the others are still reported.
 */
export class SupervisorMetrics<TWorker extends WorkerLike = WorkerLike> extends EventEmitter<SupervisorMetricsEvents> {
  readonly options: Readonly<Required<MetricsOptions>>;
  readonly #source: Source<TWorker>;
  readonly #history: MetricsPoint[] = [];
  readonly #events: MetricsEvent[] = [];
  /** The last CPU reading per pid, for the percentage over the interval. */
  readonly #cpu = new Map<number, { at: number; micros: number }>();
  #latest: MetricsSnapshot = { at: Date.now(), slots: [], workers: [] };
  #timer: NodeJS.Timeout | undefined;
  #sampling: Promise<MetricsSnapshot> | undefined;

  constructor(options: Required<MetricsOptions>, source: Source<TWorker>) {
    super();
    this.options = options;
    this.#source = source;
    const record = (event: Omit<MetricsEvent, 'at'>) => this.#record(event);
    source.on('fork', ({ slot, worker, reason }) =>
      record({ type: 'fork', slot: slot.id, pid: worker.process.pid, detail: reason }),
    );
    source.on('exit', ({ slot, worker, code, signal, expected }) =>
      record({
        type: 'exit',
        slot: slot.id,
        pid: worker.process.pid,
        detail: `${signal ?? `code ${code}`}${expected ? '' : ', unexpected'}`,
      }),
    );
    source.on('restart', ({ slot, delay }) => record({ type: 'restart', slot: slot.id, detail: `in ${delay} ms` }));
    source.on('unresponsive', ({ slot, worker }) =>
      record({ type: 'unresponsive', slot: slot.id, pid: worker.process.pid }),
    );
    source.on('memoryLimit', ({ slot, worker }) =>
      record({ type: 'memoryLimit', slot: slot.id, pid: worker.process.pid }),
    );
    source.on('reloadStart', ({ total }) => record({ type: 'reloadStart', detail: `${total} slots` }));
    source.on('reloadEnd', ({ replaced, error }) =>
      record({ type: 'reloadEnd', detail: `${replaced} replaced${error === undefined ? '' : `, ${error.code}`}` }),
    );
    source.on('scale', ({ from, to }) => record({ type: 'scale', detail: `${from} → ${to}` }));
    source.on('shutdown', ({ signal }) =>
      record({ type: 'shutdown', ...(signal === undefined ? {} : { detail: signal }) }),
    );
  }

  /** Starts sampling every interval (the supervisor does, when `options.metrics` is on). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.sample().catch(() => {});
    }, this.options.interval);
    // Metrics never keep the primary alive.
    this.#timer.unref();
  }

  /** Stops sampling; what was gathered stays readable. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The last sample. */
  latest(): MetricsSnapshot {
    return this.#latest;
  }

  /** The samples kept, oldest first. */
  history(): readonly MetricsPoint[] {
    return [...this.#history];
  }

  /** The events kept (up to `MAX_METRICS_EVENTS`), oldest first. */
  events(): readonly MetricsEvent[] {
    return [...this.#events];
  }

  /** Samples every worker now (joins a sample in progress); resolves once each answered or timed out. */
  sample(): Promise<MetricsSnapshot> {
    this.#sampling ??= this.#take().finally(() => {
      this.#sampling = undefined;
    });
    return this.#sampling;
  }

  /**
   * Asks every live worker for its prom-client registry (`getMetricsAsJSON()`), each within `timeout`;
   * one that does not answer is `up: false`, and the others are still returned. A worker whose last sample
   * said it has no prom-client is not asked (`up: true`, `metrics: null`): a scrape costs no round trip to
   * workers that have nothing to give.
   */
  async promClient(): Promise<PromClientWorker[]> {
    const members = this.#members();
    const lastSample = new Map(this.#latest.workers.map((worker) => [worker.pid, worker.sample]));
    return Promise.all(
      members.map(async ({ member }) => {
        const pid = member.pid ?? 0;
        if (!member.hasPart('metrics')) return { slot: member.slot, pid, up: false, metrics: null };
        // Its last sample said it has no prom-client: nothing to ask for, and nothing missing.
        if (lastSample.get(pid)?.promClient === false) return { slot: member.slot, pid, up: true, metrics: null };
        try {
          const reply = await member.requestPromMetrics(this.options.timeout);
          return { slot: member.slot, pid, up: true, metrics: reply.metrics };
        } catch {
          return { slot: member.slot, pid, up: false, metrics: null };
        }
      }),
    );
  }

  #members(): Array<{ member: ManagedWorker<TWorker> }> {
    const result: Array<{ member: ManagedWorker<TWorker> }> = [];
    for (const slot of this.#source.slots()) {
      for (const worker of slot.workers) {
        const member = worker as ManagedWorker<TWorker>;
        if (member.state !== 'exited' && member.pid !== undefined) result.push({ member });
      }
    }
    return result;
  }

  async #take(): Promise<MetricsSnapshot> {
    const members = this.#members();
    const answers = await Promise.all(
      members.map(({ member }) =>
        member.hasPart('metrics')
          ? member.requestMetrics(this.options.timeout).catch(() => null)
          : Promise.resolve(null),
      ),
    );
    const at = Date.now();
    const connections = this.#connections();
    const live = new Set<number>();
    const workers: WorkerMetrics[] = members.map(({ member }, index) => {
      const sample = answers[index] ?? null;
      const pid = member.pid as number;
      live.add(pid);
      const perWorker = connections?.get(member.worker.id);
      return {
        slot: member.slot,
        pid,
        id: member.worker.id,
        state: member.state,
        reason: member.reason,
        up: sample !== null,
        uptime: at - member.startedAt,
        cpuPercent: sample === null ? null : this.#cpuPercent(pid, at, sample),
        sample,
        connections: connections === undefined ? null : (perWorker?.connections ?? 0),
        handed: perWorker?.handed ?? null,
      };
    });
    for (const pid of this.#cpu.keys()) if (!live.has(pid)) this.#cpu.delete(pid);
    const slots: SlotMetrics[] = this.#source.slots().map((slot) => ({
      slot: slot.id,
      state: slot.state,
      pid: slot.pid ?? null,
      restarts: slot.restarts,
      uptime: slot.uptime,
    }));
    const snapshot: MetricsSnapshot = { at, slots, workers };
    this.#latest = snapshot;
    this.#history.push({
      at,
      workers: workers.map((worker) => ({
        slot: worker.slot,
        pid: worker.pid,
        up: worker.up,
        cpuPercent: worker.cpuPercent,
        rss: worker.sample?.rss ?? null,
        heapUsed: worker.sample?.heapUsed ?? null,
        loopDelayP99: worker.sample?.loopDelayP99 ?? null,
        loopUtilization: worker.sample?.loopUtilization ?? null,
        connections: worker.connections,
        handed: worker.handed,
      })),
    });
    if (this.#history.length > this.options.history)
      this.#history.splice(0, this.#history.length - this.options.history);
    this.emit('sample', snapshot);
    return snapshot;
  }

  #cpuPercent(pid: number, at: number, sample: WorkerMetricsSample): number | null {
    const micros = sample.cpuUser + sample.cpuSystem;
    const last = this.#cpu.get(pid);
    this.#cpu.set(pid, { at, micros });
    if (last === undefined || at <= last.at) return null;
    return Math.max(0, ((micros - last.micros) / 1_000 / (at - last.at)) * 100);
  }

  /** Per worker id: open connections and connections handed, summed over the shared listeners. */
  #connections(): Map<number, { connections: number; handed: number | null }> | undefined {
    const stats = this.#source.cluster.connectionStats;
    if (typeof stats !== 'function') return undefined;
    const result = new Map<number, { connections: number; handed: number | null }>();
    for (const listener of stats.call(this.#source.cluster)) {
      for (const { id, connections, handed } of listener.workers) {
        const entry = result.get(id) ?? { connections: 0, handed: null };
        entry.connections += connections;
        if (handed !== null) entry.handed = (entry.handed ?? 0) + handed;
        result.set(id, entry);
      }
    }
    return result;
  }

  #record(event: Omit<MetricsEvent, 'at'>): void {
    const entry: MetricsEvent = { at: Date.now(), ...event };
    this.#events.push(entry);
    if (this.#events.length > MAX_METRICS_EVENTS) this.#events.shift();
    this.emit('event', entry);
  }
}
