import type { ServerQuery } from '../protocol.ts';
import { HandleListener } from './handle-listener.ts';
import type { ListenerStats, PortPeer, QueryAnswer, SharedListener } from './peer.ts';
import { Steering } from './steering.ts';

/**
 * The balanced kernel-accept mode: the handle is shared as under SCHED_NONE (the kernel hands each
 * connection to a worker that is accepting), and the primary steers which workers accept from what they
 * report (see `Steering`).
 */
export class BalancedListener implements SharedListener {
  readonly key: number;
  readonly #shared: HandleListener;
  readonly #steering: Steering;

  constructor(key: number, address: string | null, query: ServerQuery) {
    this.key = key;
    this.#shared = new HandleListener(key, address, query);
    this.#steering = new Steering((peer, order) => {
      if (order.act === 'steer') peer.channel.notify('steer', { key, paused: order.paused });
      else peer.channel.notify('probe', { key });
    });
  }

  add(peer: PortPeer, answer: QueryAnswer): void {
    this.#shared.add(peer, (errno, extra, handle) => {
      // Seated before the handle leaves, so a report that follows it finds the worker.
      if (errno === 0) this.#steering.join(peer);
      answer(errno, extra, handle);
    });
  }

  remove(peer: PortPeer): boolean {
    this.#steering.leave(peer);
    const last = this.#shared.remove(peer);
    if (last) this.#steering.dispose();
    return last;
  }

  pause(peer: PortPeer): void {
    this.#steering.hold(peer);
  }

  resume(peer: PortPeer): void {
    this.#steering.release(peer);
  }

  reportLoad(peer: PortPeer, connections: number): void {
    this.#shared.reportLoad(peer, connections);
  }

  /** A worker's `accepts` report. */
  reportAccepts(peer: PortPeer, accepted: number, connections: number, unsteerable: boolean): void {
    this.#shared.reportLoad(peer, connections);
    this.#steering.report(peer, accepted, connections, unsteerable);
  }

  /** Whether the primary has told `peer` to stop accepting here now. */
  isSteeredAway(peer: PortPeer): boolean {
    return this.#steering.isPaused(peer);
  }

  stats(): ListenerStats {
    const stats = this.#shared.stats();
    return {
      ...stats,
      mode: 'balanced',
      steerable: this.#steering.steerable,
      pauses: this.#steering.pauses,
      paused: this.#steering.pausedIds(),
    };
  }
}
