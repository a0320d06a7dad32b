import type { MetricsSnapshot, PromClientWorker, WorkerMetrics } from '@cluster/supervisor';
import type { Labels, MetricFamily, MetricType, Sample } from './exposition.ts';

/** What the status server counts itself, from the supervisor's events and samples. */
export interface ClusterCounters {
  /** Rolling reloads finished (`reloadEnd`). */
  reloads: number;
  /** CPU seconds of every worker so far, the gone ones included (see `ClusterTotals`). */
  cpuSeconds: number;
  /** Connections handed to every worker so far, the gone ones included. */
  handed: number;
}

/**
 * One cluster-wide counter that never goes down: a worker's last value stays in the total after the worker
 * has gone (a Prometheus counter may only reset when its process restarts, and the primary did not).
 * Fed every sample, by pid; a worker that missed a sample keeps its last value.
 */
export class RunningTotal {
  #retired = 0;
  #last = new Map<number, number>();

  /** The total after this sample: `values` has every worker the sample saw, `undefined` when it did not answer. */
  update(values: ReadonlyMap<number, number | undefined>): number {
    const next = new Map<number, number>();
    for (const [pid, value] of values) {
      const known = value ?? this.#last.get(pid);
      if (known !== undefined) next.set(pid, known);
    }
    for (const [pid, value] of this.#last) if (!values.has(pid)) this.#retired += value;
    this.#last = next;
    let total = this.#retired;
    for (const value of next.values()) total += value;
    return total;
  }
}

/** Keeps `counters.cpuSeconds` and `counters.handed` from every sample. */
export function countSample(counters: ClusterCounters, totals: { cpu: RunningTotal; handed: RunningTotal }) {
  return (snapshot: MetricsSnapshot): void => {
    const cpu = new Map<number, number | undefined>();
    const handed = new Map<number, number | undefined>();
    for (const worker of snapshot.workers) {
      cpu.set(
        worker.pid,
        worker.sample === null ? undefined : (worker.sample.cpuUser + worker.sample.cpuSystem) / MICROS,
      );
      handed.set(worker.pid, worker.handed ?? undefined);
    }
    counters.cpuSeconds = totals.cpu.update(cpu);
    counters.handed = totals.handed.update(handed);
  };
}

export interface ClusterFigures {
  snapshot: MetricsSnapshot;
  counters: ClusterCounters;
  /** Whether a shutdown has begun. */
  stopping: boolean;
  /** The primary's own event-loop delay p99, seconds. */
  primaryLoopDelay: number;
  /** The prom-client answers of this scrape, or `undefined` when aggregation is off. */
  promClient: readonly PromClientWorker[] | undefined;
}

const SLOT_STATES = ['starting', 'ready', 'restarting', 'failed', 'stopping', 'stopped'] as const;
const MS = 1_000;
const MICROS = 1e6;

const workerLabels = (worker: WorkerMetrics): Labels => ({ slot: worker.slot, pid: worker.pid });

function family(name: string, type: MetricType, help: string, samples: Sample[]): MetricFamily {
  return { name, type, help, samples };
}

/** Per worker: one sample each for those that answered (`pick` returns undefined for the others). */
function perWorker(
  workers: readonly WorkerMetrics[],
  pick: (worker: WorkerMetrics) => number | null | undefined,
  extra?: Labels,
): Sample[] {
  const samples: Sample[] = [];
  for (const worker of workers) {
    const value = pick(worker);
    if (typeof value === 'number' && Number.isFinite(value))
      samples.push({ labels: { ...workerLabels(worker), ...extra }, value });
  }
  return samples;
}

const sumOf = (samples: readonly Sample[]) => samples.reduce((total, sample) => total + sample.value, 0);

/**
 * The cluster's own metric families: per worker (labelled `slot` and `pid`), per slot, and cluster totals.
 * docs/metrics.md lists each with its type, unit and labels.
 */
export function clusterFamilies(figures: ClusterFigures): MetricFamily[] {
  const { snapshot, counters } = figures;
  const workers = snapshot.workers;
  const sampled = (pick: (sample: NonNullable<WorkerMetrics['sample']>) => number) => (worker: WorkerMetrics) =>
    worker.sample === null ? undefined : pick(worker.sample);

  const cpuUser = perWorker(
    workers,
    sampled((s) => s.cpuUser / MICROS),
    { mode: 'user' },
  );
  const cpuSystem = perWorker(
    workers,
    sampled((s) => s.cpuSystem / MICROS),
    { mode: 'system' },
  );
  const rss = perWorker(
    workers,
    sampled((s) => s.rss),
  );
  const connections = perWorker(workers, (worker) => worker.connections);
  const handed = perWorker(workers, (worker) => worker.handed);
  const restarts = snapshot.slots.map((slot) => ({ labels: { slot: slot.slot }, value: slot.restarts }));

  const families: MetricFamily[] = [
    family(
      'cluster_slots',
      'gauge',
      'Slots the supervisor keeps, by state.',
      SLOT_STATES.map((state) => ({
        labels: { state },
        value: snapshot.slots.filter((slot) => slot.state === state).length,
      })),
    ),
    family('cluster_shutting_down', 'gauge', '1 once a graceful shutdown has begun.', [
      { value: figures.stopping ? 1 : 0 },
    ]),
    family(
      'cluster_primary_event_loop_delay_seconds',
      'gauge',
      "The primary's event-loop delay p99 over the last interval.",
      [{ value: figures.primaryLoopDelay }],
    ),
    family('cluster_reloads_total', 'counter', 'Rolling reloads that finished.', [{ value: counters.reloads }]),
    family(
      'cluster_slot_restarts_total',
      'counter',
      "Replacements of a slot's worker after a crash, a hang or its memory limit.",
      restarts,
    ),
    family('cluster_restarts_total', 'counter', 'Replacements after a crash, a hang or a memory limit, all slots.', [
      { value: sumOf(restarts) },
    ]),
    family(
      'cluster_slot_uptime_seconds',
      'gauge',
      "How long the slot's current worker has been ready.",
      snapshot.slots.map((slot) => ({
        labels: { slot: slot.slot },
        value: slot.uptime / MS,
      })),
    ),
    family(
      'cluster_worker_info',
      'gauge',
      'One per worker process, with its state and why it was started.',
      workers.map((worker) => ({
        labels: { ...workerLabels(worker), state: worker.state, reason: worker.reason },
        value: 1,
      })),
    ),
    family(
      'cluster_worker_up',
      'gauge',
      '1 when the worker answered the last metrics sample in time, else 0.',
      workers.map((worker) => ({
        labels: workerLabels(worker),
        value: worker.up ? 1 : 0,
      })),
    ),
    family(
      'cluster_worker_uptime_seconds',
      'gauge',
      'Time since the worker was forked.',
      perWorker(workers, (worker) => worker.uptime / MS),
    ),
    family('cluster_worker_cpu_seconds_total', 'counter', 'CPU time the worker used, by mode (process.cpuUsage).', [
      ...cpuUser,
      ...cpuSystem,
    ]),
    family(
      'cluster_worker_cpu_usage_ratio',
      'gauge',
      'CPU used over the last interval, in CPUs (1 is one CPU busy).',
      perWorker(workers, (worker) => (worker.cpuPercent === null ? undefined : worker.cpuPercent / 100)),
    ),
    family('cluster_worker_resident_memory_bytes', 'gauge', 'Resident set size.', rss),
    family(
      'cluster_worker_heap_used_bytes',
      'gauge',
      'V8 heap in use.',
      perWorker(
        workers,
        sampled((s) => s.heapUsed),
      ),
    ),
    family(
      'cluster_worker_heap_total_bytes',
      'gauge',
      'V8 heap allocated.',
      perWorker(
        workers,
        sampled((s) => s.heapTotal),
      ),
    ),
    family(
      'cluster_worker_external_memory_bytes',
      'gauge',
      'Memory of C++ objects bound to JavaScript objects.',
      perWorker(
        workers,
        sampled((s) => s.external),
      ),
    ),
    family(
      'cluster_worker_event_loop_delay_p50_seconds',
      'gauge',
      'Event-loop delay, median over the last interval.',
      perWorker(
        workers,
        sampled((s) => s.loopDelayP50 / MS),
      ),
    ),
    family(
      'cluster_worker_event_loop_delay_p99_seconds',
      'gauge',
      'Event-loop delay, 99th percentile over the last interval.',
      perWorker(
        workers,
        sampled((s) => s.loopDelayP99 / MS),
      ),
    ),
    family(
      'cluster_worker_event_loop_delay_max_seconds',
      'gauge',
      'Event-loop delay, longest over the last interval.',
      perWorker(
        workers,
        sampled((s) => s.loopDelayMax / MS),
      ),
    ),
    family(
      'cluster_worker_event_loop_utilization_ratio',
      'gauge',
      'Share of the last interval the event loop was busy (0 to 1).',
      perWorker(
        workers,
        sampled((s) => s.loopUtilization),
      ),
    ),
    family('cluster_worker_open_connections', 'gauge', "Connections open on the worker's shared servers.", connections),
    family(
      'cluster_worker_connections_handed_total',
      'counter',
      'Connections the primary handed the worker (round-robin).',
      handed,
    ),
    family('cluster_cpu_seconds_total', 'counter', 'CPU time of every worker so far, gone ones included.', [
      { value: counters.cpuSeconds },
    ]),
    family('cluster_resident_memory_bytes', 'gauge', 'Resident set size of the live workers, summed.', [
      { value: sumOf(rss) },
    ]),
    family('cluster_open_connections', 'gauge', 'Connections open on all workers.', [{ value: sumOf(connections) }]),
    family('cluster_connections_handed_total', 'counter', 'Connections handed to every worker so far (round-robin).', [
      { value: counters.handed },
    ]),
  ];
  if (figures.promClient !== undefined) {
    families.push(
      family(
        'cluster_worker_metrics_up',
        'gauge',
        "1 unless the worker's prom-client metrics are missing from this scrape (it did not answer in time).",
        figures.promClient.map((worker) => ({
          labels: { slot: worker.slot, pid: worker.pid },
          value: worker.up ? 1 : 0,
        })),
      ),
    );
  }
  return families;
}
