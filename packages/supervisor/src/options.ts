import { constants } from 'node:os';
import { invalidArgType, invalidArgValue, outOfRange } from '@cluster/errors';
import { availableCpus } from './cpu-quota.ts';
import { parseMemorySize } from './memory-size.ts';

/**
 * A number of workers, or `'max'`: one per CPU this process may use (`os.availableParallelism()`, capped by
 * a container's CPU quota: see `availableCpus()`).
 */
export type WorkerCount = number | 'max';

/** When a new worker counts as ready. */
export interface ReadinessOptions {
  /**
   * `'listening'`: at its first `'listening'` event; `'message'`: when it sends `readiness.message`
   * (`process.send('ready')`, as PM2's `wait_ready`). Default: `'listening'`.
   */
  on?: 'listening' | 'message';
  /** The message a worker sends when `on` is `'message'`. Default: `'ready'`. */
  message?: string;
  /** A worker not ready within this many ms has failed to start. Default: 30 000. */
  timeout?: number;
}

/** Respawning after an unexpected exit, with exponential backoff. */
export interface RestartOptions {
  /** Delay before the first restart, ms. Default: 100. */
  initialDelay?: number;
  /** Each failed restart multiplies the delay by this. Default: 2. */
  factor?: number;
  /** The delay never grows past this, ms. Default: 10 000. */
  maxDelay?: number;
  /** A worker that was ready and stayed up this long (ms) was healthy: its slot's delay and failures reset. Default: 5 000. */
  minUptime?: number;
  /** After this many restarts in a row whose worker failed (never healthy), the slot gives up. Default: 10. */
  maxRestarts?: number;
}

/** Draining a worker: it takes no new connections and finishes those it has, within a deadline. */
export interface DrainOptions {
  /** The deadline for a worker to finish its connections, ms; then it gets SIGTERM. Default: 20 000. */
  timeout?: number;
  /** Keep-alive connections that stay idle this long (ms) during a drain are closed. Default: 1 000. */
  idleTimeout?: number;
  /** After SIGTERM, a worker still running this long (ms) gets SIGKILL. Default: 5 000. */
  killTimeout?: number;
}

/** Heartbeats from each worker's event loop. */
export interface HeartbeatOptions {
  /** Milliseconds between beats. Default: 1 000. */
  interval?: number;
  /** A ready worker that misses this many beats in a row is unresponsive and is replaced. Default: 5. */
  maxMissed?: number;
}

/** Gathering metrics from every worker (see `supervisor.metrics`). */
export interface MetricsOptions {
  /** Milliseconds between samples of every worker (CPU, memory, event loop, connections). Default: 1 000. */
  interval?: number;
  /** How many samples the history keeps, for charts. Default: 300 (five minutes at the default interval). */
  history?: number;
  /** A worker that has not answered a request within this many ms is reported missing. Default: 1 000. */
  timeout?: number;
}

/** The options of `supervise()`; every one is optional. */
export interface SupervisorOptions {
  /** How many slots, each with one worker. Default: `'max'`. */
  workers?: WorkerCount;
  readiness?: ReadinessOptions;
  restart?: RestartOptions;
  drain?: DrainOptions;
  /** Heartbeats, or `false` for none (then no memory limit either). */
  heartbeat?: HeartbeatOptions | false;
  /**
   * A worker whose RSS stays above this (bytes, or a string such as `'512M'`) for
   * `MEMORY_LIMIT_SAMPLES` heartbeats in a row is replaced through the rolling path. Default: none.
   */
  memoryLimit?: number | string;
  /** Added to every worker's environment: an object, or a function of the slot number. */
  env?: NodeJS.ProcessEnv | ((slot: number) => NodeJS.ProcessEnv);
  /**
   * Shut down gracefully on these signals to the primary, then exit (0 when every worker drained in
   * time); a second signal forces. `true` means `['SIGTERM', 'SIGINT']`. Default: `false`.
   */
  signals?: boolean | readonly NodeJS.Signals[];
  /**
   * Gather metrics from every worker over the supervisor's internal channel: `true` for the defaults, or
   * `MetricsOptions`. Default: `false` (the worker side then measures nothing).
   */
  metrics?: boolean | MetricsOptions;
}

export const DEFAULT_METRICS_INTERVAL_MS = 1_000;
export const DEFAULT_METRICS_HISTORY = 300;
export const DEFAULT_METRICS_TIMEOUT_MS = 1_000;
/** The most samples a history may keep. */
export const MAX_METRICS_HISTORY = 100_000;
export const DEFAULT_READY_TIMEOUT_MS = 30_000;
export const DEFAULT_READY_MESSAGE = 'ready';
export const DEFAULT_RESTART_DELAY_MS = 100;
export const DEFAULT_RESTART_FACTOR = 2;
export const DEFAULT_MAX_RESTART_DELAY_MS = 10_000;
export const DEFAULT_MIN_UPTIME_MS = 5_000;
export const DEFAULT_MAX_RESTARTS = 10;
export const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 1_000;
export const DEFAULT_KILL_TIMEOUT_MS = 5_000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
export const DEFAULT_HEARTBEAT_MAX_MISSED = 5;
/** How many heartbeats in a row must report an RSS above `memoryLimit` before the worker is replaced. */
export const MEMORY_LIMIT_SAMPLES = 3;
/** The most workers one supervisor runs. */
export const MAX_WORKERS = 1024;
/** `setTimeout`'s ceiling. */
const MAX_MS = 2 ** 31 - 1;

/** The options with every default filled in. */
export interface ResolvedOptions {
  workers: number;
  readiness: Required<ReadinessOptions>;
  restart: Required<RestartOptions>;
  drain: Required<DrainOptions>;
  heartbeat: Required<HeartbeatOptions> | false;
  /** Bytes; 0 for no limit. */
  memoryLimit: number;
  env: (slot: number) => NodeJS.ProcessEnv;
  signals: NodeJS.Signals[];
  metrics: Required<MetricsOptions> | false;
}

const TOP_LEVEL = ['workers', 'readiness', 'restart', 'drain', 'heartbeat', 'memoryLimit', 'env', 'signals', 'metrics'];

/** Checks `supervise()`'s options as Node checks its own, and fills in the defaults. */
export function resolveOptions(options: unknown): ResolvedOptions {
  const top = group('options', options, TOP_LEVEL);
  const readiness = group('options.readiness', top.readiness, ['on', 'message', 'timeout']);
  const restart = group('options.restart', top.restart, [
    'initialDelay',
    'factor',
    'maxDelay',
    'minUptime',
    'maxRestarts',
  ]);
  const drain = group('options.drain', top.drain, ['timeout', 'idleTimeout', 'killTimeout']);
  const heartbeat =
    top.heartbeat === false ? false : group('options.heartbeat', top.heartbeat, ['interval', 'maxMissed']);

  const on = readiness.on ?? 'listening';
  if (on !== 'listening' && on !== 'message') {
    throw invalidArgValue('options.readiness.on', on, "must be 'listening' or 'message'");
  }
  const message = readiness.message ?? DEFAULT_READY_MESSAGE;
  if (typeof message !== 'string' || message === '') {
    throw invalidArgType('options.readiness.message', 'a non-empty string', message);
  }
  const initialDelay = duration('options.restart.initialDelay', restart.initialDelay, DEFAULT_RESTART_DELAY_MS);
  const resolved: ResolvedOptions = {
    workers: resolveWorkerCount('options.workers', top.workers ?? 'max'),
    readiness: {
      on,
      message,
      timeout: duration('options.readiness.timeout', readiness.timeout, DEFAULT_READY_TIMEOUT_MS, 1),
    },
    restart: {
      initialDelay,
      factor: number('options.restart.factor', restart.factor, DEFAULT_RESTART_FACTOR, 1, 1_000),
      maxDelay: duration(
        'options.restart.maxDelay',
        restart.maxDelay,
        Math.max(DEFAULT_MAX_RESTART_DELAY_MS, initialDelay),
      ),
      minUptime: duration('options.restart.minUptime', restart.minUptime, DEFAULT_MIN_UPTIME_MS),
      maxRestarts: integer('options.restart.maxRestarts', restart.maxRestarts, DEFAULT_MAX_RESTARTS, 0, 1_000_000),
    },
    drain: {
      timeout: duration('options.drain.timeout', drain.timeout, DEFAULT_DRAIN_TIMEOUT_MS),
      idleTimeout: duration('options.drain.idleTimeout', drain.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS),
      killTimeout: duration('options.drain.killTimeout', drain.killTimeout, DEFAULT_KILL_TIMEOUT_MS),
    },
    heartbeat:
      heartbeat === false
        ? false
        : {
            interval: duration('options.heartbeat.interval', heartbeat.interval, DEFAULT_HEARTBEAT_INTERVAL_MS, 1),
            maxMissed: integer(
              'options.heartbeat.maxMissed',
              heartbeat.maxMissed,
              DEFAULT_HEARTBEAT_MAX_MISSED,
              1,
              1_000,
            ),
          },
    memoryLimit: memoryLimit(top.memoryLimit, heartbeat !== false),
    env: environment(top.env),
    signals: signals(top.signals),
    metrics: metricsOptions(top.metrics),
  };
  if (resolved.restart.maxDelay < resolved.restart.initialDelay) {
    throw outOfRange(
      'options.restart.maxDelay',
      `>= options.restart.initialDelay (${initialDelay})`,
      resolved.restart.maxDelay,
    );
  }
  return resolved;
}

/** `workers` (and `scale()`'s argument): a count from 0 to MAX_WORKERS, or `'max'`. */
export function resolveWorkerCount(name: string, value: unknown): number {
  if (value === 'max') return availableCpus();
  if (typeof value !== 'number') throw invalidArgType(name, "of type number or 'max'", value);
  if (!Number.isInteger(value) || value < 0 || value > MAX_WORKERS) {
    throw outOfRange(name, `an integer >= 0 and <= ${MAX_WORKERS}`, value);
  }
  return value;
}

/** A duration in ms, as `setTimeout` takes one. */
export function duration(name: string, value: unknown, fallback: number, min = 0): number {
  return number(name, value, fallback, min, MAX_MS);
}

type Group = Record<string, unknown>;

function group(name: string, value: unknown, keys: readonly string[]): Group {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgType(name, 'of type object', value);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw invalidArgValue(
        `${name}.${key}`,
        (value as Group)[key],
        `is not an option (the options are ${keys.join(', ')})`,
      );
    }
  }
  return value as Group;
}

function number(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!(value >= min && value <= max)) throw outOfRange(name, `>= ${min} and <= ${max}`, value);
  return value;
}

function integer(name: string, value: unknown, fallback: number, min: number, max: number): number {
  const result = number(name, value, fallback, min, max);
  if (!Number.isInteger(result)) throw outOfRange(name, `an integer >= ${min} and <= ${max}`, value);
  return result;
}

function memoryLimit(value: unknown, hasHeartbeat: boolean): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw invalidArgType('options.memoryLimit', 'of type number or string', value);
  }
  const bytes = parseMemorySize(value);
  if (bytes === undefined) {
    throw invalidArgValue('options.memoryLimit', value, "must be a number of bytes or a size such as '512M'");
  }
  // The RSS travels with the heartbeats.
  if (!hasHeartbeat)
    throw invalidArgValue('options.memoryLimit', value, 'needs heartbeats (options.heartbeat is false)');
  return bytes;
}

function environment(value: unknown): (slot: number) => NodeJS.ProcessEnv {
  if (value === undefined) return () => ({});
  if (typeof value === 'function') return value as (slot: number) => NodeJS.ProcessEnv;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgType('options.env', 'of type object or function', value);
  }
  const env = { ...(value as NodeJS.ProcessEnv) };
  return () => env;
}

function metricsOptions(value: unknown): Required<MetricsOptions> | false {
  if (value === undefined || value === false) return false;
  const metrics = value === true ? {} : group('options.metrics', value, ['interval', 'history', 'timeout']);
  return {
    interval: duration('options.metrics.interval', metrics.interval, DEFAULT_METRICS_INTERVAL_MS, 10),
    history: integer('options.metrics.history', metrics.history, DEFAULT_METRICS_HISTORY, 1, MAX_METRICS_HISTORY),
    timeout: duration('options.metrics.timeout', metrics.timeout, DEFAULT_METRICS_TIMEOUT_MS, 1),
  };
}

/** Signals a process can catch (SIGKILL and SIGSTOP cannot be). */
function signals(value: unknown): NodeJS.Signals[] {
  if (value === undefined || value === false) return [];
  if (value === true) return ['SIGTERM', 'SIGINT'];
  if (!Array.isArray(value))
    throw invalidArgType('options.signals', 'of type boolean or an array of signal names', value);
  for (const signal of value) {
    if (typeof signal !== 'string' || !(signal in constants.signals) || signal === 'SIGKILL' || signal === 'SIGSTOP') {
      throw invalidArgValue('options.signals', value, `cannot handle ${String(signal)}`);
    }
  }
  return [...new Set(value as NodeJS.Signals[])];
}
