import { type ActShapes, type Channel, shape } from '@cluster/ipc';

/** Lifecycle acts the primary answers. */
export type PrimaryLifecycleApi = {
  /** The worker is running. */
  online(body: null): void;
  /** The worker is leaving on purpose; answered once `exitedAfterDisconnect` is set. */
  exitedAfterDisconnect(body: null): true;
};

/** Lifecycle acts a worker answers. */
export type WorkerLifecycleApi = {
  /** The primary asks the worker to close its servers and disconnect. */
  disconnect(body: null): void;
};

export type PrimaryLifecycleChannel = Channel<PrimaryLifecycleApi, WorkerLifecycleApi>;
export type WorkerLifecycleChannel = Channel<WorkerLifecycleApi, PrimaryLifecycleApi>;

/** The namespace cluster traffic uses on the IPC channel. */
export const CLUSTER_NAMESPACE = 'cluster';

/** The shapes of the lifecycle acts, declared on both sides' channels. */
export const LIFECYCLE_ACTS = {
  online: { body: shape.null },
  exitedAfterDisconnect: { body: shape.null, reply: shape.oneOf(true) },
  disconnect: { body: shape.null },
} as const satisfies ActShapes;
