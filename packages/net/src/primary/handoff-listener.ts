import type { ConnectionInfo, SchedulingPolicy, WorkerLoad } from '@cluster/scheduler';
import { net, type RawHandle, type ServerWithHandle } from '../internals.ts';
import type { ServerQuery, SockName } from '../protocol.ts';
import { boundPort, type ListenerStats, type PortPeer, type QueryAnswer, type SharedListener } from './peer.ts';

/** A worker in a handoff pool; the policy sees it as a read-only `WorkerLoad`. */
interface Member extends WorkerLoad {
  id: number;
  busy: boolean;
  /** Paused: it gets no new connections until resumed (a supervisor is draining or replacing it). */
  paused: boolean;
  connections: number;
  handed: number;
  readonly peer: PortPeer;
}

/** The connection a policy is being asked about; one object reused for every decision. */
class PendingConnection implements ConnectionInfo {
  handle: RawHandle | undefined;
  get remoteAddress(): string | undefined {
    const out: { address?: string } = {};
    if (this.handle?.getpeername?.(out) !== 0) return undefined;
    return out.address;
  }
}

const DEFAULT_BACKLOG = 511;

/**
 * How many times one connection is offered (declined, or lost with its worker) before the primary
 * gives up on it and closes it, rather than keep it in flight forever.
 */
export const MAX_HANDOFF_ATTEMPTS = 8;

/** An accepted connection waiting for a worker; remembers who declined it, so it is not offered to them again. */
interface Queued {
  readonly handle: RawHandle;
  attempts: number;
  declinedBy?: Set<number>;
}

/** Errors that mean the worker's channel is gone, not that the worker said no. */
const isLoss = (error: Error & { code?: unknown }): boolean =>
  error.code === 'ERR_IPC_DISCONNECTED' || error.code === 'ERR_IPC_CHANNEL_CLOSED';

/** Backlog as Node's listen() reads it: a number, or a numeric string; anything else is the default. */
function backlogOf(value: unknown): number {
  const backlog = typeof value === 'string' ? Number(value) : value;
  return typeof backlog === 'number' && backlog > 0 ? backlog : DEFAULT_BACKLOG;
}

/**
 * SCHED_RR: the primary listens and accepts, then hands each connection to
 * the worker the policy picks. A worker has at most one handoff awaiting its
 * acknowledgement; a connection a worker declines, or that was in flight to
 * a worker that went away, is queued again for another, up to
 * `MAX_HANDOFF_ATTEMPTS` times. A worker whose channel is found closed is
 * reported through `onLost`, which takes it out of every pool at once.
 */
export class HandoffListener implements SharedListener {
  readonly key: number;
  readonly #where: Pick<ListenerStats, 'transport' | 'address' | 'port'>;
  readonly #policy: SchedulingPolicy;
  readonly #onLost: (peer: PortPeer) => void;
  readonly #members: Member[] = [];
  readonly #queue: Queued[] = [];
  readonly #probe = new PendingConnection();
  /** Peers paused by `pause()`, members or not yet (a pause can come before the listener has bound). */
  readonly #paused = new Set<PortPeer>();
  #handle: RawHandle | null = null;
  #server: ServerWithHandle | null;
  #errno = 0;
  #closed = false;
  #waiting: Array<[PortPeer, QueryAnswer]> = [];
  #dispatching = false;
  #dispatchAgain = false;
  #retry: NodeJS.Immediate | undefined;

  constructor(
    key: number,
    address: string | null,
    query: ServerQuery,
    policy: SchedulingPolicy,
    onLost: (peer: PortPeer) => void,
  ) {
    this.key = key;
    this.#where = {
      transport: query.addressType === -1 ? 'pipe' : 'tcp',
      address,
      port: query.addressType === -1 || query.port === null ? null : query.port,
    };
    this.#policy = policy;
    this.#onLost = onLost;
    const server = net.createServer() as ServerWithHandle;
    this.#server = server;
    server.once('listening', () => this.#onListening(server));
    server.once('error', (error: NodeJS.ErrnoException) => this.#onError(error));
    const backlog = backlogOf(query.backlog);
    // `exclusive` keeps these listens in the primary even where port sharing is installed.
    if (query.fd !== undefined && query.fd >= 0) {
      server.listen({ fd: query.fd, backlog, exclusive: true });
    } else if (query.addressType !== -1) {
      server.listen({
        port: query.port ?? 0,
        host: address ?? undefined,
        backlog,
        exclusive: true,
        ipv6Only: query.ipv6Only === true,
      });
    } else {
      server.listen({
        path: address ?? '',
        backlog,
        exclusive: true,
        readableAll: query.readableAll === true,
        writableAll: query.writableAll === true,
      });
    }
  }

  add(peer: PortPeer, answer: QueryAnswer): void {
    if (this.#server !== null) {
      this.#waiting.push([peer, answer]);
      return;
    }
    this.#join(peer, answer);
  }

  remove(peer: PortPeer): boolean {
    this.#paused.delete(peer);
    if (this.#closed) return false;
    if (this.#waiting.length > 0) this.#waiting = this.#waiting.filter(([waiting]) => waiting !== peer);
    const at = this.#members.findIndex((member) => member.peer === peer);
    const [member] = at === -1 ? [] : this.#members.splice(at, 1);
    if (member !== undefined) this.#policy.remove?.(member);
    if (this.#members.length > 0 || this.#waiting.length > 0) {
      if (member !== undefined) this.#dispatch();
      return false;
    }
    // The last one left, even if it was still waiting for the bind: nobody is there to serve the port.
    this.#close();
    return true;
  }

  stats(): ListenerStats {
    return {
      key: this.key,
      mode: 'rr',
      ...this.#where,
      port: boundPort(this.#where.port, this.#handle),
      workers: this.#members.map(({ id, connections, handed }) => ({ id, connections, handed })),
    };
  }

  reportLoad(peer: PortPeer, connections: number): void {
    const member = this.#members.find((candidate) => candidate.peer === peer);
    if (member !== undefined) member.connections = connections;
  }

  /** Hands `peer` no new connections until `resume(peer)`; what it has, and its place, stay. */
  pause(peer: PortPeer): void {
    this.#paused.add(peer);
    const member = this.#members.find((candidate) => candidate.peer === peer);
    if (member !== undefined) member.paused = true;
  }

  resume(peer: PortPeer): void {
    if (!this.#paused.delete(peer)) return;
    const member = this.#members.find((candidate) => candidate.peer === peer);
    if (member !== undefined) member.paused = false;
    this.#dispatch();
  }

  #join(peer: PortPeer, answer: QueryAnswer): void {
    if (this.#errno !== 0 || this.#handle === null) {
      answer(this.#errno || -22, {});
      return;
    }
    const out: Partial<SockName> = {};
    const extra = this.#handle.getsockname?.(out) === 0 ? { sockname: out as SockName } : {};
    // Gone while the listener was binding: it joins nothing (its 'disconnect' is on the way).
    if (!peer.channel.isOpen) return;
    // Asked twice (a duplicated or replayed query): the same answer, and still one place in the pool.
    if (this.#members.some((member) => member.peer === peer)) {
      answer(0, extra);
      return;
    }
    const member: Member = {
      id: peer.id,
      busy: false,
      paused: this.#paused.has(peer),
      connections: 0,
      handed: 0,
      peer,
    };
    this.#members.push(member);
    this.#policy.add?.(member);
    answer(0, extra);
    this.#dispatch();
  }

  #onListening(server: ServerWithHandle): void {
    if (this.#closed) {
      // Everyone who asked left while it was binding.
      server.close();
      return;
    }
    const handle = server._handle as RawHandle;
    // Take the handle over so that accepted connections never become net.Sockets here.
    handle.onconnection = (status, client) => this.#onConnection(status, client);
    server._handle = null;
    this.#server = null;
    this.#handle = handle;
    this.#flushWaiting();
  }

  #onError(error: NodeJS.ErrnoException): void {
    if (this.#closed) return;
    this.#errno = typeof error.errno === 'number' ? error.errno : -22;
    this.#server = null;
    this.#flushWaiting();
  }

  #flushWaiting(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const [peer, answer] of waiting) this.#join(peer, answer);
  }

  #onConnection(status: number, client: RawHandle | undefined): void {
    // A failed accept has nothing to hand over.
    if (status !== 0 || client === undefined) return;
    this.#queue.push({ handle: client, attempts: 0 });
    this.#dispatch();
  }

  /** Hands out what is queued; a call made while one runs (a worker lost meanwhile) makes it go round again. */
  #dispatch(): void {
    if (this.#dispatching) {
      this.#dispatchAgain = true;
      return;
    }
    this.#dispatching = true;
    try {
      do {
        this.#dispatchAgain = false;
        this.#dispatchQueue();
      } while (this.#dispatchAgain);
    } finally {
      this.#dispatching = false;
    }
  }

  /** A retry waits for the next turn of the event loop, so that acks and exits are read in between. */
  #scheduleDispatch(): void {
    this.#retry ??= setImmediate(() => {
      this.#retry = undefined;
      this.#dispatch();
    });
  }

  #dispatchQueue(): void {
    const queue = this.#queue;
    const members = this.#members;
    const probe = this.#probe;
    while (queue.length > 0) {
      // While every worker is paused, connections wait for one to resume or join (as for no worker at all).
      const open = this.#paused.size === 0 ? members : members.filter((member) => !member.paused);
      if (open.length === 0) return;
      const next = queue[0] as Queued;
      const { declinedBy } = next;
      const candidates = declinedBy === undefined ? open : open.filter((member) => !declinedBy.has(member.id));
      if (candidates.length === 0) {
        // Every worker there is turned it down: close it now rather than bounce it between them forever.
        queue.shift();
        next.handle.close();
        continue;
      }
      probe.handle = next.handle;
      const chosen = this.#policy.pick(candidates, probe) as Member | undefined;
      probe.handle = undefined;
      if (chosen === undefined || chosen.busy || !candidates.includes(chosen)) return;
      if (!chosen.peer.channel.isOpen) {
        // Its channel closed before its 'disconnect' or 'exit' was handled: out of every pool now.
        this.#onLost(chosen.peer);
        // Whatever `onLost` did, this pool makes progress without it.
        if (this.#members.includes(chosen)) this.remove(chosen.peer);
        continue;
      }
      queue.shift();
      this.#handoff(chosen, next);
    }
  }

  #handoff(member: Member, queued: Queued): void {
    const client = queued.handle;
    member.busy = true;
    member.handed += 1;
    member.peer.channel.call('newconn', { key: this.key }, { handle: client }, (error, reply) => {
      member.busy = false;
      if (error === null && reply?.accepted === true) {
        member.connections = reply.connections;
        client.close();
        this.#dispatch();
        return;
      }
      if (error === null) {
        // Declined (closing, at maxConnections): offered to the others, not to it again.
        (queued.declinedBy ??= new Set()).add(member.id);
        if (reply !== undefined) member.connections = reply.connections;
      } else if (isLoss(error)) {
        // Lost with its worker: that worker leaves every pool, and another takes the connection.
        this.#onLost(member.peer);
      } else {
        // An invalid reply, or its handler threw: treated as a refusal.
        (queued.declinedBy ??= new Set()).add(member.id);
      }
      queued.attempts += 1;
      if (this.#closed || queued.attempts >= MAX_HANDOFF_ATTEMPTS) {
        client.close();
        return;
      }
      this.#queue.unshift(queued);
      this.#scheduleDispatch();
    });
  }

  #close(): void {
    this.#closed = true;
    if (this.#retry !== undefined) clearImmediate(this.#retry);
    this.#retry = undefined;
    this.#waiting = [];
    for (const queued of this.#queue.splice(0)) queued.handle.close();
    this.#handle?.close();
    this.#handle = null;
    this.#server?.close();
    this.#server = null;
    this.#policy.dispose?.();
  }
}
