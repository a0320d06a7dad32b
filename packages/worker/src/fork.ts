import { type ChildProcess, fork } from 'node:child_process';
import { createError } from '@cluster/errors';
import { type ClusterSettings, validateSettings } from '@cluster/settings';
import { WORKER_ID_ENV } from './env.ts';

const MIN_PORT = 1024;
const MAX_PORT = 65535;
const INSPECT_FLAG = /--inspect(?:-brk|-port)?|--debug-port/;

function badPort(value: unknown) {
  return createError(RangeError, 'ERR_SOCKET_BAD_PORT', `Port should be >= 0 and < 65536. Received ${String(value)}.`);
}

function validatePort(value: unknown): number {
  const port = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > MAX_PORT) throw badPort(value);
  return port;
}

/** Gives each worker its own inspector port, counting up from the primary's (Node's scheme). */
export class InspectPorts {
  #offset = 1;

  next(settings: ClusterSettings): string | undefined {
    if (settings.inspectPort === null) throw badPort(null);
    const execArgv = settings.execArgv ?? [];
    const usesInspector =
      execArgv.some((arg) => INSPECT_FLAG.test(arg)) || INSPECT_FLAG.test(process.env.NODE_OPTIONS ?? '');
    if (!usesInspector) return undefined;
    let port: number;
    if ('inspectPort' in settings && settings.inspectPort !== undefined) {
      const { inspectPort } = settings;
      port = validatePort(typeof inspectPort === 'function' ? inspectPort() : inspectPort);
    } else {
      port = process.debugPort + this.#offset;
      if (port > MAX_PORT) port = port - MAX_PORT + MIN_PORT - 1;
      this.#offset += 1;
    }
    return `--inspect-port=${port}`;
  }
}

export interface ForkOptions {
  id: number;
  settings: ClusterSettings;
  /** Added to the worker's environment, as `cluster.fork(env)` takes it. */
  env: NodeJS.ProcessEnv | undefined;
  /** The module every worker loads before the user's code (a file URL or path). */
  preload: string;
  inspectPorts: InspectPorts;
}

/** The flag that preloads the worker bootstrap; the worker strips it from its own `process.execArgv`. */
export function preloadFlag(preload: string): string {
  return `--import=${preload}`;
}

/** Spawns a worker process as Node's `createWorkerProcess` does, with our bootstrap preloaded. */
export function forkWorkerProcess(options: ForkOptions): ChildProcess {
  const { id, settings, env, preload } = options;
  validateSettings(settings);
  const workerEnv: NodeJS.ProcessEnv = { ...process.env, ...env, [WORKER_ID_ENV]: `${id}` };
  // Never let Node's built-in cluster worker boot inside our worker.
  delete workerEnv.NODE_UNIQUE_ID;
  const execArgv = [...(settings.execArgv ?? [])];
  const inspect = options.inspectPorts.next(settings);
  if (inspect !== undefined) execArgv.push(inspect);
  execArgv.push(preloadFlag(preload));
  return fork(settings.exec as string, settings.args, {
    cwd: settings.cwd,
    env: workerEnv,
    serialization: settings.serialization,
    silent: settings.silent,
    windowsHide: settings.windowsHide,
    execArgv,
    stdio: settings.stdio,
    gid: settings.gid,
    uid: settings.uid,
  } as Parameters<typeof fork>[2]);
}
