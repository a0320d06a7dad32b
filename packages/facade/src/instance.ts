import { fileURLToPath } from 'node:url';
import { takeWorkerId } from '@cluster/worker';
import type { Cluster } from './types.ts';
import { createWorkerCluster } from './worker.ts';

/**
 * Shared by every copy of this package loaded in the process, so there is one cluster per process: the
 * build loads one copy per installed version, but a `register` preload or a dependency may resolve another
 * installation than the app's.
 */
const kCluster = Symbol.for('@cluster/facade:cluster');

type GlobalWithCluster = typeof globalThis & { [kCluster]?: Cluster };

/** The worker bootstrap that `fork()` preloads (`--require`) in every worker: the path of `./worker-entry.cjs`. */
export const WORKER_PRELOAD = fileURLToPath(new URL('./worker-entry.cjs', import.meta.url));

type PrimaryHalf = typeof import('./primary.ts');
let primary: PrimaryHalf | undefined;

/**
 * The primary's half of the facade (the port registry, policies and settings), loaded on first use: a
 * worker, whose bootstrap runs before the user's code, never loads it. `require()` of an ES module is
 * synchronous (Node >= 20.19), as `getCluster()` must be. `node:module` is taken here, not imported: a
 * worker would load it for nothing (~0.5 ms, a builtin node:cluster's workers never load).
 */
export function primaryHalf(): PrimaryHalf {
  primary ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)('./primary.js') as PrimaryHalf;
  return primary;
}

/** This process's cluster object: a worker's if the primary forked us, a primary's otherwise. */
export function getCluster(): Cluster {
  const scope = globalThis as GlobalWithCluster;
  let cluster = scope[kCluster];
  if (cluster === undefined) {
    const id = takeWorkerId();
    cluster = id === undefined ? primaryHalf().createPrimaryCluster(WORKER_PRELOAD) : createWorkerCluster(id);
    scope[kCluster] = cluster;
  }
  return cluster;
}
