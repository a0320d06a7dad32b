import type { EventEmitter } from 'node:events';
import type { ListeningInfo } from '@cluster/net';
import type { SchedulingPolicy } from '@cluster/scheduler';
import type { ClusterSettings, SCHED_NONE, SCHED_RR } from '@cluster/settings';
import type { Worker } from '@cluster/worker';

/** `cluster.settings`, plus the balancing policy Node never had. */
export interface Settings extends ClusterSettings {
  /** The SCHED_RR balancing policy: a built-in's name or a policy object. Default: `'round-robin'`. */
  policy?: string | SchedulingPolicy;
}

/** The address object of `'listening'` events. */
export type Address = ListeningInfo;

/** The `cluster` object, as `node:cluster` exports it, in either role. */
export interface Cluster extends EventEmitter {
  readonly isPrimary: boolean;
  /** Deprecated alias of `isPrimary`. */
  readonly isMaster: boolean;
  readonly isWorker: boolean;
  readonly Worker: typeof Worker;
  readonly SCHED_NONE: typeof SCHED_NONE;
  readonly SCHED_RR: typeof SCHED_RR;
  /** In the primary: settable until the first `fork()` or `setupPrimary()`, then frozen. */
  schedulingPolicy: number;
  /** In the primary: the settings later forks use, defaults filled in after the first `setupPrimary()`. */
  settings: Settings;
  /** In the primary: live workers by id. */
  workers?: Record<string, Worker>;
  /** In a worker: this worker. */
  worker?: Worker;
  /** In the primary: changes the settings of later forks. */
  setupPrimary?(settings?: Settings): void;
  /** Deprecated alias of `setupPrimary()`. */
  setupMaster?(settings?: Settings): void;
  /** In the primary: spawns a worker; `env` is added to its environment. */
  fork?(env?: NodeJS.ProcessEnv): Worker;
  /** In the primary: disconnects every worker, then calls `callback`. */
  disconnect?(callback?: () => void): void;
}
