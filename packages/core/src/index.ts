import cluster from '@cluster/facade';

export default cluster;

// Named exports, as `import { isPrimary, fork } from 'node:cluster'` allows.
export const { isPrimary, isMaster, isWorker, Worker, SCHED_NONE, SCHED_RR, schedulingPolicy, settings } = cluster;
export const { workers, worker, fork, setupPrimary, setupMaster, disconnect } = cluster;

export type { Address, Cluster, Settings, WorkerState } from '@cluster/facade';
