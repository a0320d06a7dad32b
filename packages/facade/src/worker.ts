import { EventEmitter } from 'node:events';
import { createChannel } from '@cluster/ipc';
import { installPortSharing, type WorkerPortsChannel } from '@cluster/net';
import { SCHED_NONE, SCHED_RR } from '@cluster/settings';
import { CLUSTER_NAMESPACE, startWorker, Worker, type WorkerLifecycleChannel } from '@cluster/worker';
import type { Cluster } from './types.ts';

/** Builds a worker's `cluster` object and starts its lifecycle: port sharing, then `online`. */
export function createWorkerCluster(id: number): Cluster {
  const channel = createChannel(process, { namespace: CLUSTER_NAMESPACE });
  const sharing = installPortSharing(channel as unknown as WorkerPortsChannel);
  const worker = startWorker({
    id,
    channel: channel as unknown as WorkerLifecycleChannel,
    closeServers: (done) => sharing.closeAll(done),
  });
  const cluster = new EventEmitter() as Cluster;
  Object.assign(cluster, {
    isWorker: true,
    isMaster: false,
    isPrimary: false,
    Worker,
    worker,
    SCHED_NONE,
    SCHED_RR,
  });
  return cluster;
}
