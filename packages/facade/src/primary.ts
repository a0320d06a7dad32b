import { EventEmitter } from 'node:events';
import { createError, invalidArgType } from '@cluster/errors';
import type { Channel } from '@cluster/ipc';
import { withHandle } from '@cluster/ipc';
import {
  createPortRegistry,
  PORTS_ACTS,
  type PortPeer,
  type PortRegistry,
  type PrimaryPortsChannel,
} from '@cluster/net';
import { BALANCED_MODE, mergeSettings, readSchedulingChoice, SCHED_NONE, SCHED_RR } from '@cluster/settings';
import { Worker, WorkerPool } from '@cluster/worker';
import { resolvePolicy, validatePolicySetting } from './policy.ts';
import type { Cluster, Settings } from './types.ts';

export { resolvePolicy } from './policy.ts';

/** What Node's internal assertion throws for a `cluster.schedulingPolicy` other than SCHED_RR or SCHED_NONE. */
function badSchedulingPolicy(policy: unknown) {
  return createError(Error, 'ERR_INTERNAL_ASSERTION', `Bad cluster.schedulingPolicy: ${String(policy)}`);
}

/** Builds the primary's `cluster` object; `preload` is the worker bootstrap every fork loads first. */
export function createPrimaryCluster(preload: string): Cluster {
  const choice = readSchedulingChoice();
  const cluster = new EventEmitter() as Cluster & { workers: Record<string, Worker> };
  let initialized = false;
  let registry: PortRegistry | undefined;
  let mode: 'rr' | 'none' | 'balanced' | undefined;
  const peers = new WeakMap<Worker, PortPeer>();

  const pool = new WorkerPool({
    emit: (event, worker, ...args) => cluster.emit(event, worker, ...args),
    releaseHandles: (worker) => {
      const peer = peers.get(worker);
      if (peer !== undefined) registry?.removePeer(peer);
    },
    attach: (worker, channel: Channel) => attachPorts(worker, channel as unknown as PrimaryPortsChannel),
  });

  function attachPorts(worker: Worker, channel: PrimaryPortsChannel): void {
    const peer: PortPeer = { id: worker.id, channel };
    peers.set(worker, peer);
    // What a worker sends is checked against these shapes before any handler below runs.
    channel.declare(PORTS_ACTS);
    channel.handle('queryServer', (query) => {
      // A worker on its way out gets no new listeners (Node leaves the query unanswered).
      if (worker.exitedAfterDisconnect) return new Promise<never>(() => {});
      return new Promise((resolve) => {
        (registry as PortRegistry).query(peer, query, ({ handle, ...reply }) => resolve(withHandle(reply, handle)));
      });
    });
    channel.handle('close', ({ key }) => registry?.close(peer, key));
    channel.handle('load', ({ counts }) => registry?.reportLoad(peer, counts));
    channel.handle('accepts', (report) => registry?.reportAccepts(peer, report));
    channel.handle('listening', (info) => {
      const address = { addressType: info.addressType, address: info.address, port: info.port, fd: info.fd };
      worker.state = 'listening';
      worker.emit('listening', address);
      cluster.emit('listening', worker, address);
    });
  }

  function setupPrimary(options?: Settings): void {
    if (options !== null && typeof options === 'object') validatePolicySetting(options.policy, mode);
    const settings = mergeSettings<Settings>(cluster.settings, options ?? undefined);
    cluster.settings = settings;
    if (!initialized) {
      initialized = true;
      // Frozen from here on, as in Node, which asserts the value at this point.
      const policy = cluster.schedulingPolicy;
      if (policy !== SCHED_NONE && policy !== SCHED_RR) throw badSchedulingPolicy(policy);
      // The balanced mode is a SCHED_NONE (the workers accept): asked by the setting it reads so from here on;
      // asked by the environment it holds unless the program chose SCHED_RR itself.
      const byName = settings.policy === BALANCED_MODE;
      if (byName) cluster.schedulingPolicy = SCHED_NONE;
      mode =
        byName || (settings.policy === undefined && choice.balanced && policy === SCHED_NONE)
          ? 'balanced'
          : policy === SCHED_NONE
            ? 'none'
            : 'rr';
      registry = createPortRegistry({
        mode,
        createPolicy: () => resolvePolicy(cluster.settings.policy, choice.policy),
      });
    }
    process.nextTick(() => cluster.emit('setup', settings));
  }

  /** The port-sharing peer of one of this cluster's workers; a worker that never attached (or a dead one) has none. */
  function peerOf(worker: Worker): PortPeer | undefined {
    if (!(worker instanceof Worker)) throw invalidArgType('worker', 'an instance of Worker', worker);
    return peers.get(worker);
  }

  Object.assign(cluster, {
    isWorker: false,
    isMaster: true,
    isPrimary: true,
    Worker,
    workers: pool.workers,
    settings: {},
    SCHED_NONE,
    SCHED_RR,
    schedulingPolicy: choice.mode,
    setupPrimary,
    setupMaster: setupPrimary,
    fork(env?: NodeJS.ProcessEnv): Worker {
      setupPrimary();
      return pool.spawn({ settings: cluster.settings, env, preload });
    },
    disconnect(callback?: () => void): void {
      pool.disconnectAll(callback);
    },
    pauseConnections(worker: Worker): void {
      const peer = peerOf(worker);
      if (peer !== undefined) registry?.pause(peer);
    },
    resumeConnections(worker: Worker): void {
      const peer = peerOf(worker);
      if (peer !== undefined) registry?.resume(peer);
    },
    connectionStats() {
      return registry?.stats() ?? [];
    },
  });
  return cluster;
}
