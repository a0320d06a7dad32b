import type { SchedulingPolicy } from '@cluster/scheduler';
import { getCluster, primaryHalf } from './instance.ts';

const cluster = getCluster();

export default cluster;
export type { ListenerStats, WorkerConnectionStats } from '@cluster/net';
export type { MessageHandle, WorkerAddress, WorkerEvents, WorkerState } from '@cluster/worker';
export { getCluster, WORKER_PRELOAD } from './instance.ts';
export type { Address, Cluster, ClusterEvents, Settings } from './types.ts';
export { Worker } from './worker.ts';

/** Turns the `policy` setting (a built-in's name or a policy object) or `NODE_CLUSTER_SCHED_POLICY` into a policy. */
export function resolvePolicy(setting: unknown, fromEnv: string | undefined): SchedulingPolicy {
  return primaryHalf().resolvePolicy(setting, fromEnv);
}
