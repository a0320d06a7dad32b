export type { ClusterLike, WorkerLike } from './cluster-like.ts';
export { isClusterLike } from './cluster-like.ts';
export type { CpuQuotaSource } from './cpu-quota.ts';
export { availableCpus, CGROUP_ROOT_ENV, DEFAULT_CGROUP_ROOT, readCpuQuota } from './cpu-quota.ts';
export type { KillReason } from './drain.ts';
export { EXIT_AFTER_DISCONNECT_MS } from './drain.ts';
export type { SupervisorError, SupervisorErrorCode } from './errors.ts';
export type { LoopDelayMonitor } from './loop-delay.ts';
export { monitorLoopDelay } from './loop-delay.ts';
export { parseMemorySize } from './memory-size.ts';
export type {
  MetricsEvent,
  MetricsPoint,
  MetricsSnapshot,
  PromClientWorker,
  SlotMetrics,
  SupervisorMetricsEvents,
  WorkerMetrics,
} from './metrics.ts';
export { MAX_METRICS_EVENTS, SupervisorMetrics } from './metrics.ts';
export type {
  DrainOptions,
  HeartbeatOptions,
  MetricsOptions,
  ReadinessOptions,
  RestartOptions,
  SupervisorOptions,
  WorkerCount,
} from './options.ts';
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_HEARTBEAT_MAX_MISSED,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_KILL_TIMEOUT_MS,
  DEFAULT_MAX_RESTART_DELAY_MS,
  DEFAULT_MAX_RESTARTS,
  DEFAULT_METRICS_HISTORY,
  DEFAULT_METRICS_INTERVAL_MS,
  DEFAULT_METRICS_TIMEOUT_MS,
  DEFAULT_MIN_UPTIME_MS,
  DEFAULT_READY_MESSAGE,
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_RESTART_DELAY_MS,
  DEFAULT_RESTART_FACTOR,
  MAX_WORKERS,
  MEMORY_LIMIT_SAMPLES,
} from './options.ts';
export { PRELOAD_FLAG, WORKER_PRELOAD } from './preload-flag.ts';
export type { PromMetricJson, WorkerMetricsSample, WorkerSample } from './protocol.ts';
export { INSTANCE_ENV, SLOT_ENV, SUPERVISOR_NAMESPACE } from './protocol.ts';
export { supervise } from './supervise.ts';
export type { ShutdownOptions } from './supervisor.ts';
export { Supervisor } from './supervisor.ts';
export type {
  DrainOutcome,
  ReloadResult,
  ShutdownResult,
  Slot,
  SlotState,
  SlotWorker,
  StartReason,
  SupervisorEvents,
  WorkerState,
} from './types.ts';
export type { WorkerPart } from './worker/part.ts';
