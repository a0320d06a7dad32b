import cluster from '@cluster/facade';

export default cluster;

// Named exports, as `import { isPrimary, fork } from 'node:cluster'` allows. Like Node's, they are the
// values at first import: read `cluster.settings` and `cluster.schedulingPolicy` for current ones.
export const { isPrimary, isMaster, isWorker, SCHED_NONE, SCHED_RR, schedulingPolicy, settings } = cluster;
export const { workers, worker, fork, setupPrimary, setupMaster, disconnect } = cluster;

export type {
  Address,
  Cluster,
  ClusterEvents,
  ListenerStats,
  MessageHandle,
  Settings,
  WorkerAddress,
  WorkerConnectionStats,
  WorkerEvents,
  WorkerState,
} from '@cluster/facade';
export { Worker } from '@cluster/facade';
