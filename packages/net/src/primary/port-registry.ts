import path from 'node:path';
import type { SchedulingPolicy } from '@cluster/scheduler';
import type { ServerQuery } from '../protocol.ts';
import { BalancedListener } from './balanced-listener.ts';
import { HandleListener } from './handle-listener.ts';
import { HandoffListener } from './handoff-listener.ts';
import type { ListenerStats, PortPeer, QueryAnswer, SharedListener } from './peer.ts';

export interface PortRegistryOptions {
  /**
   * `'rr'`: the primary accepts and hands off (SCHED_RR); `'none'`: workers accept (SCHED_NONE);
   * `'balanced'`: workers accept on the shared handle and the primary pauses whichever is ahead of its share
   * (TCP and pipes; UDP is shared as under `'none'`, and on Windows everything is).
   */
  mode: 'rr' | 'none' | 'balanced';
  /** A fresh policy for each round-robin listener. */
  createPolicy: () => SchedulingPolicy;
}

/** What a worker's `queryServer` gets back. */
export interface QueryResult {
  errno: number;
  key: number;
  mode: 'rr' | 'shared' | 'balanced';
  sockname?: import('../protocol.ts').SockName;
  data: unknown;
  handle?: object;
}

/** The primary's table of shared listeners, keyed as Node keys them. */
export interface PortRegistry {
  /** Shares (creating if needed) the listener a worker asks for. */
  query(peer: PortPeer, query: ServerQuery, done: (result: QueryResult) => void): void;
  /** A worker closed its server on `key`. */
  close(peer: PortPeer, key: number): void;
  /** A worker reported open connections per listener. */
  reportLoad(peer: PortPeer, counts: ReadonlyArray<readonly [number, number]>): void;
  /** A worker's report on a `balanced` listener (the `accepts` act). */
  reportAccepts(
    peer: PortPeer,
    report: { key: number; accepted: number; connections: number; unsteerable?: boolean | undefined },
  ): void;
  /**
   * A worker disconnected or died: release all it shared. Safe to call more than once, in any
   * order with `close`; a worker whose channel is found closed while connections are handed out
   * is removed this way too.
   */
  removePeer(peer: PortPeer): void;
  /**
   * Stops handing new connections to `peer` on every round-robin listener, now and for listeners it
   * joins later, until `resume(peer)`. Its open connections, its servers and its place stay. On a
   * `'balanced'` listener the worker is told to stop accepting; under SCHED_NONE (and for UDP) the worker
   * accepts by itself and this changes nothing.
   */
  pause(peer: PortPeer): void;
  /** Hands `peer` connections again. */
  resume(peer: PortPeer): void;
  /**
   * Every open listener with its workers: the connections each holds now (as the worker reports them,
   * within `LOAD_REPORT_DELAY_MS` of a change) and, for round-robin, how many the primary handed it.
   */
  stats(): ListenerStats[];
  /** How many listeners are open. */
  readonly size: number;
}

interface Entry {
  listener: SharedListener;
  data: unknown;
  id: string;
}

/** Node shortens Unix socket paths because of the ~100 byte limit on them. */
function listenAddress(query: ServerQuery): string | null {
  const { address } = query;
  if (query.addressType === -1 && typeof address === 'string' && process.platform !== 'win32') {
    const relative = path.relative(process.cwd(), address);
    return address.length < relative.length ? address : relative;
  }
  return address;
}

/** Creates the table the primary keeps for its workers' listeners. */
export function createPortRegistry(options: PortRegistryOptions): PortRegistry {
  const byId = new Map<string, Entry>();
  const byKey = new Map<number, Entry>();
  const paused = new WeakSet<PortPeer>();
  let nextKey = 1;

  const forget = (entry: Entry): void => {
    byId.delete(entry.id);
    byKey.delete(entry.listener.key);
  };

  const removePeer = (peer: PortPeer): void => {
    for (const entry of byKey.values()) {
      // Also drops a worker still waiting for a listener to bind.
      if (entry.listener.remove(peer)) forget(entry);
    }
  };

  return {
    get size() {
      return byKey.size;
    },
    query(peer, query, done) {
      const id = `${query.address}:${query.port}:${query.addressType}:${query.fd}:${query.index}`;
      let entry = byId.get(id);
      if (entry === undefined) {
        const key = nextKey++;
        const address = listenAddress(query);
        const isUdp = query.addressType === 'udp4' || query.addressType === 'udp6';
        // UDP is connectionless: there is nothing to hand off, so it always shares the handle.
        const listener =
          options.mode === 'rr' && !isUdp
            ? new HandoffListener(key, address, query, options.createPolicy(), removePeer)
            : options.mode === 'balanced' && !isUdp && process.platform !== 'win32'
              ? new BalancedListener(key, address, query)
              : new HandleListener(key, address, query);
        entry = { listener, data: query.data, id };
        byId.set(id, entry);
        byKey.set(key, entry);
      }
      if (entry.data == null) entry.data = query.data;
      const current = entry;
      const mode =
        current.listener instanceof HandoffListener
          ? 'rr'
          : current.listener instanceof BalancedListener
            ? 'balanced'
            : 'shared';
      const answer: QueryAnswer = (errno, extra, handle) => {
        // A failed bind is forgotten, so that a later listen tries again.
        if (errno !== 0) forget(current);
        done({
          errno,
          key: current.listener.key,
          mode,
          data: current.data,
          ...extra,
          ...(handle === undefined ? {} : { handle }),
        });
      };
      // Paused before it joins, so that no connection reaches it in between.
      if (paused.has(peer)) current.listener.pause?.(peer);
      current.listener.add(peer, answer);
    },
    close(peer, key) {
      const entry = byKey.get(key);
      if (entry === undefined) return;
      if (entry.listener.remove(peer)) forget(entry);
    },
    reportLoad(peer, counts) {
      for (const [key, connections] of counts) byKey.get(key)?.listener.reportLoad?.(peer, connections);
    },
    reportAccepts(peer, { key, accepted, connections, unsteerable }) {
      const listener = byKey.get(key)?.listener;
      if (listener instanceof BalancedListener) {
        listener.reportAccepts(peer, accepted, connections, unsteerable === true);
      }
    },
    pause(peer) {
      paused.add(peer);
      for (const entry of byKey.values()) entry.listener.pause?.(peer);
    },
    resume(peer) {
      paused.delete(peer);
      for (const entry of byKey.values()) entry.listener.resume?.(peer);
    },
    stats() {
      return [...byKey.values()].map((entry) => entry.listener.stats());
    },
    removePeer,
  };
}
