import { getCluster } from './instance.ts';

const cluster = getCluster();

export default cluster;
export type { Worker, WorkerState } from '@cluster/worker';
export { getCluster, WORKER_PRELOAD } from './instance.ts';
export { resolvePolicy } from './policy.ts';
export type { Address, Cluster, Settings } from './types.ts';
