import { getCluster } from './instance.ts';

const cluster = getCluster();

export default cluster;
export type { MessageHandle, WorkerAddress, WorkerEvents, WorkerState } from '@cluster/worker';
export { Worker } from '@cluster/worker';
export { getCluster, WORKER_PRELOAD } from './instance.ts';
export { resolvePolicy } from './policy.ts';
export type { Address, Cluster, ClusterEvents, Settings } from './types.ts';
