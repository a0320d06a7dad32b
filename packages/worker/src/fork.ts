import { type ForkOptions as ChildForkOptions, type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClusterSettings } from '@cluster/settings';
import { WORKER_ID_ENV } from './env.ts';
import { badPort, type InspectPortSetting, type InspectPorts, isUsingInspector } from './inspect-port.ts';

export interface ForkOptions {
  id: number;
  settings: ClusterSettings;
  /** Added to the worker's environment, as `cluster.fork(env)` takes it. */
  env: NodeJS.ProcessEnv | undefined;
  /** The module every worker loads before the user's code (an absolute path or a file URL). */
  preload: string;
  inspectPorts: InspectPorts;
  /** The environment the worker inherits. Default: `process.env`. */
  baseEnv?: NodeJS.ProcessEnv;
}

/** What `child_process.fork()` is called with. */
export type ForkArguments = [modulePath: string, args: readonly string[] | undefined, options: ChildForkOptions];

/**
 * The flag that preloads the worker bootstrap; the worker strips it from its own `process.execArgv`.
 * `--require`, not `--import`: any `--import` makes Node load the main module through the asynchronous
 * ESM loader, so a CommonJS main would run only after `online` (and miss what the primary sends then).
 * The bootstrap may be an ES module: Node >= 20.19 `require()`s it synchronously.
 */
export function preloadFlag(preload: string): string {
  return `--require=${preload.startsWith('file:') ? fileURLToPath(preload) : preload}`;
}

/**
 * The arguments of the worker's `child_process.fork()`, computed as Node's `createWorkerProcess` does:
 * the same reads of the settings in the same order, so that a bad value throws what Node throws, where
 * Node throws it. Values that `child_process.fork()` checks (exec, args, cwd, serialization, stdio, uid,
 * gid, windowsHide) are passed untouched, and fork's own errors are Node's. The differences: the id
 * travels in our own variable, and the worker bootstrap is preloaded.
 */
export function workerForkArguments(options: ForkOptions): ForkArguments {
  const { id, settings, env, preload } = options;
  const workerEnv: NodeJS.ProcessEnv = { ...(options.baseEnv ?? process.env), ...env, [WORKER_ID_ENV]: `${id}` };
  // Never let Node's built-in cluster worker boot inside our worker.
  delete workerEnv.NODE_UNIQUE_ID;
  // Spread as Node spreads it: a value that is not iterable throws Node's own TypeError.
  const execArgv = [...(settings.execArgv as string[])];
  const inspectPort = settings.inspectPort as InspectPortSetting;
  if (inspectPort === null) throw badPort(null);
  if (isUsingInspector(settings.execArgv as string[], options.baseEnv ?? process.env)) {
    execArgv.push(`--inspect-port=${options.inspectPorts.next(inspectPort)}`);
  }
  execArgv.push(preloadFlag(preload));
  const forkOptions = {
    cwd: settings.cwd,
    env: workerEnv,
    serialization: settings.serialization,
    silent: settings.silent,
    windowsHide: settings.windowsHide,
    execArgv,
    stdio: settings.stdio,
    gid: settings.gid,
    uid: settings.uid,
  } as ChildForkOptions;
  return [settings.exec as string, settings.args, forkOptions];
}

/** Spawns a worker process as Node's `createWorkerProcess` does, with our bootstrap preloaded. */
export function forkWorkerProcess(options: ForkOptions): ChildProcess {
  const [modulePath, args, forkOptions] = workerForkArguments(options);
  return fork(modulePath, args, forkOptions);
}
