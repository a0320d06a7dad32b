import { fileURLToPath } from 'node:url';
import type { ClusterLike } from './cluster-like.ts';

/** The supervisor's worker side: a CommonJS file, loaded with `--require` before the worker's own code. */
export const WORKER_PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url));

/**
 * The `execArgv` entry that loads it. `--require`, not `--import`: any `--import` puts a CommonJS main
 * on Node's asynchronous ESM loader, which runs the worker's code later than `'online'`.
 */
export const PRELOAD_FLAG = `--require=${WORKER_PRELOAD}`;

/**
 * Makes the cluster's next forks load the worker side, keeping the `execArgv` the user set. Called before
 * every fork, since a later `setupPrimary({ execArgv })` of the user's replaces the list.
 */
export function ensurePreload(cluster: ClusterLike): void {
  const execArgv = cluster.settings.execArgv ?? process.execArgv;
  if (execArgv.includes(PRELOAD_FLAG)) return;
  cluster.setupPrimary({ execArgv: [...execArgv, PRELOAD_FLAG] });
}
