import type { StdioOptions } from 'node:child_process';

/** How workers are forked; mirrors `cluster.settings` of `node:cluster`. */
export interface ClusterSettings {
  /** Arguments passed to the Node.js executable. Default: `process.execArgv`. */
  execArgv?: string[];
  /** File path to the worker file. Default: `process.argv[1]`. */
  exec?: string;
  /** Arguments passed to the worker. Default: `process.argv.slice(2)`. */
  args?: string[];
  /** Working directory of the worker. Default: inherited. */
  cwd?: string;
  /** `'json'` or `'advanced'`, as `child_process.fork()` takes it. */
  serialization?: 'json' | 'advanced';
  /** Whether to send the worker's output to the parent's stdio. Default: `false`. */
  silent?: boolean;
  /** The worker's stdio; must contain `'ipc'`. Overrides `silent`. */
  stdio?: StdioOptions;
  /** User identity of the worker (setuid(2)). */
  uid?: number;
  /** Group identity of the worker (setgid(2)). */
  gid?: number;
  /** Inspector port of the worker, or a function returning one. */
  inspectPort?: number | (() => number);
  /** Hide the worker's console window on Windows. Default: `false`. */
  windowsHide?: boolean;
}

/**
 * Node's `setupPrimary` merge: the defaults apply to the first call only;
 * later calls start from the current settings. `--prof` without a log file
 * gets one log per process, as Node arranges.
 */
export function mergeSettings<TSettings extends ClusterSettings>(
  current: Partial<TSettings>,
  options: Partial<TSettings> | undefined,
  proc: Pick<NodeJS.Process, 'argv' | 'execArgv'> = process,
): TSettings {
  const settings = {
    args: proc.argv.slice(2),
    exec: proc.argv[1],
    execArgv: proc.execArgv,
    silent: false,
    ...current,
    ...options,
  } as TSettings;
  // Read as Node reads it (Array.prototype.some over whatever execArgv is), so odd values fail alike.
  const execArgv = settings.execArgv as unknown as ArrayLike<unknown>;
  const some = (prefix: string) =>
    Array.prototype.some.call(execArgv, (arg: unknown) => String.prototype.startsWith.call(arg, prefix));
  if (some('--prof') && !some('--logfile=')) {
    settings.execArgv = [...(settings.execArgv as string[]), '--logfile=v8-%p.log'];
  }
  return settings;
}
