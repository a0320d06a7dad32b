import type { PrimaryPortsChannel } from '../protocol.ts';

/** A worker as port sharing sees it: an id and the channel to reach it. */
export interface PortPeer {
  readonly id: number;
  readonly channel: PrimaryPortsChannel;
}

/** Delivers the answer to a worker's `queryServer`. */
export type QueryAnswer = (
  errno: number,
  extra: { sockname?: import('../protocol.ts').SockName },
  handle?: object,
) => void;

/** One listener shared by the workers that asked for the same address. */
export interface SharedListener {
  readonly key: number;
  /** Adds a worker; `answer` runs once the listener is bound (or failed). */
  add(peer: PortPeer, answer: QueryAnswer): void;
  /** Removes a worker; returns `true` when it was the last one and the listener closed. */
  remove(peer: PortPeer): boolean;
  /** A worker reported its open connections. */
  reportLoad?(peer: PortPeer, connections: number): void;
  /** Stops handing new connections to a worker (SCHED_RR); a listener that hands none ignores it. */
  pause?(peer: PortPeer): void;
  /** Undoes `pause`. */
  resume?(peer: PortPeer): void;
}
