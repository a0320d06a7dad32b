import { takeWorkerId } from '@cluster/worker';
import { createPrimaryCluster } from './primary.ts';
import type { Cluster } from './types.ts';
import { createWorkerCluster } from './worker.ts';

/** Shared by every copy of this package loaded in the process, so there is one cluster per process. */
const kCluster = Symbol.for('@cluster/facade:cluster');

type GlobalWithCluster = typeof globalThis & { [kCluster]?: Cluster };

/** The worker bootstrap that `fork()` preloads in every worker. */
export const WORKER_PRELOAD = new URL('./worker-entry.js', import.meta.url).href;

/** This process's cluster object: a worker's if the primary forked us, a primary's otherwise. */
export function getCluster(): Cluster {
  const scope = globalThis as GlobalWithCluster;
  let cluster = scope[kCluster];
  if (cluster === undefined) {
    const id = takeWorkerId();
    cluster = id === undefined ? createPrimaryCluster(WORKER_PRELOAD) : createWorkerCluster(id);
    scope[kCluster] = cluster;
  }
  return cluster;
}
