/**
 * Between the supervisor in the primary and its side in each worker: one `@cluster/ipc` channel in its own
 * namespace, so that its frames never reach user `'message'` listeners and never meet the cluster's own.
 */
export const SUPERVISOR_NAMESPACE = 'supervisor';

/** Tells a forked worker's preload to start the supervisor's worker side; the preload deletes it. */
export const SUPERVISOR_ENV = 'CLUSTER_SUPERVISOR';
/** The worker's slot number, under the name PM2 gives it (apps and node-config already read it). */
export const INSTANCE_ENV = 'NODE_APP_INSTANCE';
/** The worker's slot number, under our own name. */
export const SLOT_ENV = 'CLUSTER_SLOT';

/** What the worker side is told at start, as JSON in `SUPERVISOR_ENV`. */
export interface WorkerConfig {
  /** The version of this protocol. */
  v: 1;
  /** The `execArgv` entry that preloaded the worker side; the worker removes it from `process.execArgv`. */
  flag: string;
  /** Milliseconds between heartbeats; 0 for none. */
  beat: number;
  /** Whether the worker side answers the primary's metrics requests (`options.metrics`). */
  metrics?: boolean;
}

/**
 * What a worker measured when the primary asked (`metrics`), from its own event loop. CPU times are
 * cumulative; event-loop figures cover the time since the previous request.
 */
export interface WorkerMetricsSample {
  /** `process.cpuUsage()`: user and system CPU time since the process started, in microseconds. */
  cpuUser: number;
  cpuSystem: number;
  /** `process.memoryUsage()`, in bytes. */
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Event-loop delay percentiles since the last request (`perf_hooks.monitorEventLoopDelay`), in ms. */
  loopDelayP50: number;
  loopDelayP99: number;
  loopDelayMax: number;
  /** Event-loop utilisation since the last request (`performance.eventLoopUtilization`), 0 to 1. */
  loopUtilization: number;
  /**
   * Whether the worker has prom-client loaded (what `promMetrics` would read). The primary skips the
   * `promMetrics` round trip for a worker whose last sample says `false`; absent means unknown (ask).
   */
  promClient?: boolean;
}

/** One metric of a prom-client registry, as its `getMetricsAsJSON()` gives it. */
export interface PromMetricJson {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  values: Array<{ value: number; labels: Record<string, string | number>; metricName?: string }>;
  /** How prom-client's AggregatorRegistry combines workers' values: `sum`, `first`, `min`, `max`, `average`, `omit`. */
  aggregator?: string;
}

/** A worker's prom-client metrics: `null` when the worker has no prom-client loaded. */
export interface PromMetricsReply {
  metrics: PromMetricJson[] | null;
}

/** One heartbeat: proof that the worker's event loop turns, and what the worker measured. */
export interface WorkerSample {
  /** Resident set size, in bytes. */
  rss: number;
}

/** What the worker side says once, before the user's code runs. */
export interface HelloBody {
  pid: number;
  /** The names of the worker-side parts it runs. */
  parts: string[];
}

/** The primary's acts: what the worker side sends. */
export interface PrimarySupervisorApi {
  hello(body: HelloBody): void;
  beat(body: WorkerSample): void;
}

/** Asks a worker to drain: stop taking connections and finish those it has. */
export interface DrainBody {
  /** Keep-alive connections that stay idle this long (ms) while draining are closed. */
  idleTimeout: number;
}

/** The worker side's acts: what the primary asks. */
export interface WorkerSupervisorApi {
  /** Resolves once every connection of the worker's servers has closed. */
  drain(body: DrainBody): Promise<null>;
  /** What the worker measures now (`options.metrics`). */
  metrics(body: Record<string, never>): WorkerMetricsSample;
  /** The worker's prom-client registry as JSON, if it loaded prom-client. */
  promMetrics(body: Record<string, never>): Promise<PromMetricsReply>;
}
