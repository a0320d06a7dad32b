import { invalidArgType } from '@cluster/errors';
import { type ClusterLike, isClusterLike, type WorkerLike } from './cluster-like.ts';
import { alreadySupervised, notPrimary } from './errors.ts';
import { resolveOptions, type SupervisorOptions } from './options.ts';
import { Supervisor } from './supervisor.ts';

/** Clusters with a supervisor that has not finished shutting down. */
const supervised = new WeakSet<object>();

/**
 * Supervises `cluster`'s workers (`node:cluster`'s or `@cluster/core`'s, through their public API) from
 * this primary: `options.workers` slots, started at once; `await supervisor.ready` for all of them.
 * Throws `ERR_INVALID_ARG_TYPE`/`ERR_INVALID_ARG_VALUE`/`ERR_OUT_OF_RANGE` for bad options,
 * `ERR_CLUSTER_NOT_PRIMARY` in a worker, `ERR_CLUSTER_ALREADY_SUPERVISED` for a second supervisor.
 */
export function supervise<TWorker extends WorkerLike>(
  cluster: ClusterLike<TWorker>,
  options: SupervisorOptions = {},
): Supervisor<TWorker> {
  if (!isClusterLike(cluster)) {
    throw invalidArgType('cluster', 'a cluster object (node:cluster or @cluster/core)', cluster);
  }
  if (cluster.isPrimary !== true) throw notPrimary();
  if (supervised.has(cluster)) throw alreadySupervised();
  const supervisor = new Supervisor(cluster, resolveOptions(options));
  supervised.add(cluster);
  supervisor.once('stopped', () => supervised.delete(cluster));
  return supervisor;
}
