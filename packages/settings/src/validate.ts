import { invalidArgType, invalidArgValue } from '@cluster/errors';
import type { ClusterSettings } from './settings.ts';

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function hasIpc(stdio: unknown): boolean {
  return Array.isArray(stdio) && stdio.includes('ipc');
}

/**
 * Checks the settings a fork is about to use, throwing what Node throws for
 * the same values. Values that `child_process.fork()` checks itself (exec,
 * cwd, uid, gid, …) are left to it, so the error is Node's own; this covers
 * the ones the cluster layer has to read first.
 */
export function validateSettings(settings: ClusterSettings): void {
  const { execArgv, args, serialization, stdio, silent, windowsHide } = settings;
  if (execArgv !== undefined && !isStringArray(execArgv)) {
    throw invalidArgType('options.execArgv', 'an instance of Array of strings', execArgv);
  }
  if (args !== undefined && !isStringArray(args)) {
    throw invalidArgType('args', 'an instance of Array of strings', args);
  }
  if (serialization !== undefined && serialization !== 'json' && serialization !== 'advanced') {
    throw invalidArgValue('options.serialization', serialization, "must be one of: 'json', 'advanced'");
  }
  if (stdio !== undefined) {
    if (!Array.isArray(stdio) && typeof stdio !== 'string') {
      throw invalidArgType('options.stdio', 'one of type string or an instance of Array', stdio);
    }
    if (!hasIpc(stdio)) {
      // child_process.fork() adds 'ipc' to a string form itself; an array without it cannot carry the cluster.
      if (Array.isArray(stdio)) throw ipcRequired(stdio);
    }
  }
  if (silent !== undefined && typeof silent !== 'boolean') {
    throw invalidArgType('options.silent', 'of type boolean', silent);
  }
  if (windowsHide !== undefined && typeof windowsHide !== 'boolean') {
    throw invalidArgType('options.windowsHide', 'of type boolean', windowsHide);
  }
}

function ipcRequired(stdio: unknown[]) {
  const error = invalidArgValue('options.stdio', stdio, "must contain 'ipc'");
  // child_process names this case ERR_CHILD_PROCESS_IPC_REQUIRED.
  Object.defineProperty(error, 'code', { value: 'ERR_CHILD_PROCESS_IPC_REQUIRED', enumerable: true });
  error.message = "Forked processes must have an IPC channel, missing value 'ipc' in options.stdio";
  return error;
}
