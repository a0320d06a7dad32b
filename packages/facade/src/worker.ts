import { EventEmitter } from 'node:events';
import { createChannel } from '@cluster/ipc';
import { installPortSharing, type WorkerPortsChannel } from '@cluster/net';
import { CLUSTER_NAMESPACE, startWorker, Worker, type WorkerLifecycleChannel } from '@cluster/worker';
import type { Cluster } from './types.ts';

export { Worker };

/**
 * Builds a worker's `cluster` object and starts its lifecycle: port sharing, then `online`. It has what
 * Node's worker-side `cluster` has; a worker loads no more than this half (and what it imports) before
 * the user's code.
 */
export function createWorkerCluster(id: number): Cluster {
  const channel = createChannel(process, { namespace: CLUSTER_NAMESPACE });
  const sharing = installPortSharing(markListening(channel as unknown as WorkerPortsChannel, () => worker));
  const worker: Worker = startWorker({
    id,
    channel: channel as unknown as WorkerLifecycleChannel,
    closeServers: (done) => sharing.closeAll(done),
  });
  const cluster = new EventEmitter() as Cluster;
  Object.assign(cluster, {
    isWorker: true,
    isMaster: false,
    isPrimary: false,
    worker,
    Worker,
  });
  return cluster;
}

/** Node's worker sets its own state to 'listening' when it tells the primary that a server listens. */
function markListening(channel: WorkerPortsChannel, worker: () => Worker): WorkerPortsChannel {
  const notify = channel.notify.bind(channel) as WorkerPortsChannel['notify'];
  channel.notify = ((act, body, options) => {
    if (act === 'listening') worker().state = 'listening';
    return notify(act, body, options);
  }) as WorkerPortsChannel['notify'];
  return channel;
}
