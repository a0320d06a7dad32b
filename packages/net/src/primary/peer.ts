import type { RawHandle } from '../internals.ts';
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

/** One worker's figures on one shared listener. */
export interface WorkerConnectionStats {
  /** The worker's id (`worker.id`). */
  readonly id: number;
  /** Connections the worker holds open on this listener now, as it last reported (TCP; 0 for UDP). */
  readonly connections: number;
  /** Connections the primary handed it on this listener so far (round-robin), or `null` when it accepts by itself. */
  readonly handed: number | null;
}

/** One shared listener, with every worker in it. */
export interface ListenerStats {
  /** The registry's key for it (the `key` of the port-sharing acts). */
  readonly key: number;
  /**
   * `'rr'`: the primary accepts and hands off; `'shared'`: the workers accept on one handle (SCHED_NONE, UDP);
   * `'balanced'`: they accept on one handle and the primary steers which of them do.
   */
  readonly mode: 'rr' | 'shared' | 'balanced';
  readonly transport: 'tcp' | 'udp' | 'pipe';
  /** The address asked for (a path for a pipe), or `null` for all interfaces or an fd. */
  readonly address: string | null;
  /** The port it is bound to (the real one after `listen(0)`), or `null` for a pipe or an fd. */
  readonly port: number | null;
  readonly workers: readonly WorkerConnectionStats[];
  /** `'balanced'` only: `false` once a worker found that pausing accepts does not work (then plain SCHED_NONE). */
  readonly steerable?: boolean;
  /** `'balanced'` only: how many times the primary told a worker to pause so far. */
  readonly pauses?: number;
  /** `'balanced'` only: the ids of the workers told to pause now. */
  readonly paused?: readonly number[];
}

/** One listener shared by the workers that asked for the same address. */
export interface SharedListener {
  readonly key: number;
  /** What the listener knows of its workers' connections now. */
  stats(): ListenerStats;
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

/** The port a listener is bound to: the one asked for, or the kernel's choice after `listen(0)`. */
export function boundPort(asked: number | null, handle: RawHandle | null): number | null {
  if (asked !== 0 || handle === null) return asked;
  const out: Record<string, unknown> = {};
  return handle.getsockname?.(out) === 0 && typeof out.port === 'number' ? out.port : asked;
}
