import type { ConnectionInfo, SchedulingPolicy, WorkerLoad } from '@cluster/scheduler';
import { net, type RawHandle, type ServerWithHandle } from '../internals.ts';
import type { ServerQuery, SockName } from '../protocol.ts';
import type { PortPeer, QueryAnswer, SharedListener } from './peer.ts';

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

/** An accepted connection waiting for a worker; remembers who declined it, so it is not offered to them again. */
interface Queued {
  readonly handle: RawHandle;
  declinedBy?: Set<number>;
}

/**
 * SCHED_RR: the primary listens and accepts, then hands each connection to
 * the worker the policy picks. A worker has at most one handoff awaiting its
 * acknowledgement; a connection a worker declines, or that was in flight to
 * a worker that went away, is queued again for another.
 */
export class HandoffListener implements SharedListener {
  readonly key: number;
  readonly #policy: SchedulingPolicy;
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

  constructor(key: number, address: string | null, query: ServerQuery, policy: SchedulingPolicy) {
    this.key = key;
    this.#policy = policy;
    const server = net.createServer() as ServerWithHandle;
    this.#server = server;
    server.once('listening', () => this.#onListening());
    server.once('error', (error: NodeJS.ErrnoException) => this.#onError(error));
    const backlog = query.backlog ?? DEFAULT_BACKLOG;
    // `exclusive` keeps these listens in the primary even where port sharing is installed.
    if (query.fd !== undefined && query.fd >= 0) {
      server.listen({ fd: query.fd, backlog, exclusive: true });
    } else if (query.port >= 0) {
      server.listen({
        port: query.port,
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
    const at = this.#members.findIndex((member) => member.peer === peer);
    if (at === -1) {
      this.#waiting = this.#waiting.filter(([waiting]) => waiting !== peer);
      return false;
    }
    const [member] = this.#members.splice(at, 1);
    if (member !== undefined) this.#policy.remove?.(member);
    if (this.#members.length > 0 || this.#waiting.length > 0) {
      this.#dispatch();
      return false;
    }
    this.#close();
    return true;
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

  #onListening(): void {
    const server = this.#server as ServerWithHandle;
    const handle = server._handle as RawHandle;
    // Take the handle over so that accepted connections never become net.Sockets here.
    handle.onconnection = (status, client) => this.#onConnection(status, client);
    server._handle = null;
    this.#server = null;
    this.#handle = handle;
    this.#flushWaiting();
  }

  #onError(error: NodeJS.ErrnoException): void {
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
    this.#queue.push({ handle: client });
    this.#dispatch();
  }

  #dispatch(): void {
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
      } else if (this.#closed) {
        client.close();
      } else {
        // Declined (closing, at maxConnections) or lost with its worker: another takes it.
        if (error === null) (queued.declinedBy ??= new Set()).add(member.id);
        if (reply !== undefined) member.connections = reply.connections;
        this.#queue.unshift(queued);
      }
      this.#dispatch();
    });
  }

  #close(): void {
    this.#closed = true;
    for (const queued of this.#queue.splice(0)) queued.handle.close();
    this.#handle?.close();
    this.#handle = null;
    this.#server?.close();
    this.#server = null;
    this.#policy.dispose?.();
  }
}
