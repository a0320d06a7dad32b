export { takeWorkerId, WORKER_ID_ENV } from './env.ts';
export type { ForkArguments, ForkOptions } from './fork.ts';
export { forkWorkerProcess, preloadFlag, workerForkArguments } from './fork.ts';
export type { InspectPortSetting } from './inspect-port.ts';
export { InspectPorts, isUsingInspector, validatePort } from './inspect-port.ts';
export type { PoolEvents, SpawnOptions } from './primary-pool.ts';
export { WorkerPool } from './primary-pool.ts';
export type {
  PrimaryLifecycleApi,
  PrimaryLifecycleChannel,
  WorkerLifecycleApi,
  WorkerLifecycleChannel,
} from './protocol.ts';
export { CLUSTER_NAMESPACE, LIFECYCLE_ACTS } from './protocol.ts';
export type { MessageHandle, WorkerAddress, WorkerEvents, WorkerOptions, WorkerRole, WorkerState } from './worker.ts';
export type { WorkerConstructor } from './worker-constructor.ts';
export { Worker } from './worker-constructor.ts';
export type { WorkerSideOptions } from './worker-role.ts';
export { startWorker } from './worker-role.ts';
