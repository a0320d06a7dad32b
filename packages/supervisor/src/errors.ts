import { type CodedError, createError } from '@cluster/errors';

/** The codes of the supervisor's own errors; they never change meaning. */
export type SupervisorErrorCode =
  | 'ERR_CLUSTER_READY_TIMEOUT'
  | 'ERR_CLUSTER_WORKER_EXITED'
  | 'ERR_CLUSTER_WORKER_UNRESPONSIVE'
  | 'ERR_CLUSTER_RELOAD_FAILED'
  | 'ERR_CLUSTER_START_FAILED'
  | 'ERR_CLUSTER_RESTART_LIMIT'
  | 'ERR_CLUSTER_SUPERVISOR_STOPPED'
  | 'ERR_CLUSTER_ALREADY_SUPERVISED'
  | 'ERR_CLUSTER_NOT_PRIMARY';

/** An error of the supervisor: a coded `Error`, with the slot (and worker) it is about when there is one. */
export interface SupervisorError<TCode extends SupervisorErrorCode = SupervisorErrorCode> extends CodedError<TCode> {
  /** The slot the error is about. */
  slot?: number;
  /** The process id of the worker it is about. */
  pid?: number | undefined;
  /** A worker's exit code (`ERR_CLUSTER_WORKER_EXITED`). */
  exitCode?: number | null;
  /** The signal that ended a worker (`ERR_CLUSTER_WORKER_EXITED`). */
  signal?: NodeJS.Signals | null;
  /** The bound that was passed, in ms (`ERR_CLUSTER_READY_TIMEOUT`, `ERR_CLUSTER_WORKER_UNRESPONSIVE`). */
  timeout?: number;
  /** How many restarts the slot had (`ERR_CLUSTER_RESTART_LIMIT`). */
  restarts?: number;
}

function supervisorError<TCode extends SupervisorErrorCode>(
  code: TCode,
  message: string,
  fields: Omit<SupervisorError, keyof CodedError>,
  options?: ErrorOptions,
): SupervisorError<TCode> {
  return Object.assign(createError(Error, code, message, options), fields);
}

const worker = (slot: number, pid: number | undefined) =>
  pid === undefined ? `the worker of slot ${slot}` : `worker ${pid} (slot ${slot})`;

/** A worker was not ready within `readiness.timeout`. */
export function readyTimeout(slot: number, pid: number | undefined, timeout: number) {
  return supervisorError('ERR_CLUSTER_READY_TIMEOUT', `${worker(slot, pid)} was not ready within ${timeout} ms`, {
    slot,
    pid,
    timeout,
  });
}

/** A worker exited without being asked to (`beforeReady`: before it was ever ready). */
export function workerExited(
  slot: number,
  pid: number | undefined,
  code: number | null,
  signal: NodeJS.Signals | null,
  beforeReady = true,
) {
  const how = signal === null ? `with code ${code}` : `by ${signal}`;
  const when = beforeReady ? ' before it was ready' : '';
  return supervisorError('ERR_CLUSTER_WORKER_EXITED', `${worker(slot, pid)} exited ${how}${when}`, {
    slot,
    pid,
    exitCode: code,
    signal,
  });
}

/** A worker's event loop sent no heartbeat for `timeout` ms. */
export function workerUnresponsive(slot: number, pid: number | undefined, timeout: number) {
  return supervisorError(
    'ERR_CLUSTER_WORKER_UNRESPONSIVE',
    `${worker(slot, pid)} sent no heartbeat for ${timeout} ms`,
    { slot, pid, timeout },
  );
}

/** A rolling reload stopped at `slot`: its new worker failed (`cause`); the slots not yet replaced kept theirs. */
export function reloadFailed(slot: number, cause: unknown) {
  return supervisorError(
    'ERR_CLUSTER_RELOAD_FAILED',
    `The reload stopped at slot ${slot}: ${messageOf(cause)}`,
    { slot },
    { cause },
  );
}

/** A slot gave up before its first worker was ever ready: `ready` (or `scale()`) cannot be met. */
export function startFailed(slot: number, cause: unknown) {
  return supervisorError(
    'ERR_CLUSTER_START_FAILED',
    `Slot ${slot} could not start a worker: ${messageOf(cause)}`,
    { slot },
    { cause },
  );
}

/** A slot gave up: its workers kept failing (`cause` is the last failure). */
export function restartLimit(slot: number, restarts: number, cause: unknown) {
  return supervisorError(
    'ERR_CLUSTER_RESTART_LIMIT',
    `Slot ${slot} gave up after ${restarts} restarts in a row that failed: ${messageOf(cause)}`,
    { slot, restarts },
    { cause },
  );
}

/** The supervisor is shutting down: the operation was not run, or was cut short. */
export function supervisorStopped() {
  return supervisorError('ERR_CLUSTER_SUPERVISOR_STOPPED', 'The supervisor is shutting down', {});
}

/** `supervise()` was called a second time on one cluster. */
export function alreadySupervised() {
  return supervisorError('ERR_CLUSTER_ALREADY_SUPERVISED', 'This cluster already has a supervisor', {});
}

/** `supervise()` was called where the cluster is not a primary (in a worker). */
export function notPrimary() {
  return supervisorError('ERR_CLUSTER_NOT_PRIMARY', 'Workers can only be supervised from the primary', {});
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
