import type { Channel } from '@cluster/ipc';

/** `addressType` as Node's cluster carries it: 4, 6, -1 (pipe), or a UDP type. */
export type AddressType = 4 | 6 | -1 | 'udp4' | 'udp6';

/**
 * A worker's request to share a listener; mirrors Node's `queryServer` message. `listen({ fd })`
 * sends a null address, port and address type, as Node's `listenInCluster` gets them.
 */
export interface ServerQuery {
  address: string | null;
  port: number | null;
  addressType: AddressType | null;
  // Keys whose value is undefined are absent under 'json' serialization.
  fd?: number | undefined;
  flags?: number | undefined;
  /** What Node's `listen()` hands on: a number, `false` when the argument was not one, or the option as given. */
  backlog?: unknown;
  /** Counts listens on the same address within one worker, so two servers there do not share. */
  index: number;
  /** Custom server data (TLS ticket keys), as Node's `_getServerData()` gives it. */
  data?: unknown;
  readableAll?: boolean;
  writableAll?: boolean;
  /** For UDP: the socket's own options. */
  reuseAddr?: boolean;
  ipv6Only?: boolean;
}

/** The address a shared TCP listener is bound to, as `getsockname` fills it. */
export interface SockName {
  address: string;
  family: string;
  port: number;
}

/** The primary's answer; a shared (SCHED_NONE or UDP) listener arrives as the reply's handle. */
export interface QueryReply {
  /** A negative errno when binding failed. */
  errno: number;
  /** Names the shared listener in later messages. */
  key: number;
  /** Set for round-robin TCP listeners. */
  sockname?: SockName;
  /** The server data of the first worker that listened (TLS ticket keys). */
  data: unknown;
  /**
   * Whether connections come by handoff (`rr`), or the worker accepts on the shared handle by itself
   * (`shared`, SCHED_NONE), or does so under the primary's steering (`balanced`).
   */
  mode: 'rr' | 'shared' | 'balanced';
}

/** What a worker tells the primary once its server emits `'listening'`. */
export interface ListeningInfo {
  addressType: AddressType;
  address: string | null;
  port: number;
  fd: number | undefined;
}

/** Port-sharing acts the primary answers. */
export type PrimaryPortsApi = {
  queryServer(query: ServerQuery): QueryReply;
  /** A worker's server closed; its share is released. */
  close(body: { key: number }): void;
  listening(info: ListeningInfo): void;
  /** Open connections per listener key, reported when they change. */
  load(body: { counts: Array<[key: number, connections: number]> }): void;
  /**
   * A `balanced` listener's figures in one worker: connections accepted so far and open now; `unsteerable`
   * once the worker found that pausing its accepts does not work.
   */
  accepts(body: { key: number; accepted: number; connections: number; unsteerable?: boolean }): void;
};

/** Port-sharing acts a worker answers. */
export type WorkerPortsApi = {
  /** A round-robin connection; its socket travels as the handle. */
  newconn(body: { key: number }): { accepted: boolean; connections: number };
  /** `balanced`: stop (`paused: true`) or restart accepting on the listener's shared handle. */
  steer(body: { key: number; paused: boolean }): void;
  /** `balanced`: the primary asks for an `accepts` report (an answer shows the worker's loop is running). */
  probe(body: { key: number }): void;
};

/** The channel the primary holds to one worker. */
export type PrimaryPortsChannel = Channel<PrimaryPortsApi, WorkerPortsApi>;
/** The channel a worker holds to its primary. */
export type WorkerPortsChannel = Channel<WorkerPortsApi, PrimaryPortsApi>;
