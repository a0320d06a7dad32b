import type { IpcEndpoint } from '@cluster/ipc';

/**
 * A cluster worker, as the supervisor uses it: `node:cluster`'s `Worker` and `@cluster/core`'s both fit.
 * Only the public API is used.
 */
export interface WorkerLike {
  readonly id: number;
  /** The worker's `ChildProcess` (in the primary). */
  readonly process: IpcEndpoint & { readonly pid?: number | undefined };
  isConnected(): boolean;
  isDead(): boolean;
  disconnect(): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: both clusters type their worker events in their own way.
  on(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  once(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/**
 * A cluster, as the supervisor uses it: `node:cluster` and `@cluster/core` both fit. The supervisor is given
 * the cluster object and never imports one; it uses only this public API.
 */
export interface ClusterLike<TWorker extends WorkerLike = WorkerLike> {
  readonly isPrimary: boolean;
  readonly settings: { readonly execArgv?: readonly string[] | undefined };
  setupPrimary(settings?: { execArgv?: string[] }): void;
  // biome-ignore lint/suspicious/noExplicitAny: `node:cluster` types `env` as any.
  fork(env?: any): TWorker;
  /**
   * Optional (`@cluster/core` has it, `node:cluster` does not): the primary stops handing new
   * connections to `worker` at once. Used when present; otherwise the worker closing its servers is
   * what stops them.
   */
  pauseConnections?(worker: TWorker): void;
  /** Optional, with `pauseConnections`: hands the worker connections again. */
  resumeConnections?(worker: TWorker): void;
  /**
   * Optional (`@cluster/core`): per shared listener, each worker's open connections and those handed to
   * it. Metrics report connections when it is there, and `null` otherwise.
   */
  connectionStats?(): ReadonlyArray<{
    readonly workers: ReadonlyArray<{
      readonly id: number;
      readonly connections: number;
      readonly handed: number | null;
    }>;
  }>;
}

/** Whether `value` has what `supervise()` needs of a cluster. */
export function isClusterLike(value: unknown): value is ClusterLike {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const cluster = value as Partial<ClusterLike>;
  return typeof cluster.fork === 'function' && typeof cluster.setupPrimary === 'function';
}

/** Sends a signal to a worker's process, unless it has already exited. */
export function signalWorker(worker: WorkerLike, signal: NodeJS.Signals): void {
  if (worker.isDead()) return;
  const proc = worker.process as { kill?: (signal: NodeJS.Signals) => boolean; pid?: number };
  try {
    if (typeof proc.kill === 'function') proc.kill(signal);
    else if (proc.pid !== undefined) process.kill(proc.pid, signal);
  } catch {
    // Gone in between.
  }
}
