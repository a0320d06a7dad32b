import { createServerHandle, dgram, type RawHandle, udpStateOf } from '../internals.ts';
import type { ServerQuery } from '../protocol.ts';
import { boundPort, type ListenerStats, type PortPeer, type QueryAnswer, type SharedListener } from './peer.ts';

const UV_EINVAL = -22;

/**
 * SCHED_NONE, and UDP always: the primary binds one handle and sends it to
 * every worker that asks, which then accept (or receive) on it themselves.
 * The primary's copy closes with the last worker.
 */
export class HandleListener implements SharedListener {
  readonly key: number;
  /** Each worker's open connections, as it reports them (TCP only: a UDP socket has none). */
  readonly #peers = new Map<PortPeer, number>();
  readonly #where: Pick<ListenerStats, 'transport' | 'address' | 'port'>;
  #handle: RawHandle | null = null;
  #errno = 0;
  #waiting: Array<[PortPeer, QueryAnswer]> | null = null;
  #closed = false;

  constructor(key: number, address: string | null, query: ServerQuery) {
    this.key = key;
    const { addressType } = query;
    this.#where = {
      transport: addressType === -1 ? 'pipe' : addressType === 'udp4' || addressType === 'udp6' ? 'udp' : 'tcp',
      address,
      port: addressType === -1 || query.port === null ? null : query.port,
    };
    if (addressType === 'udp4' || addressType === 'udp6') {
      this.#bindUdp(address, query);
      return;
    }
    const handle = createServerHandle(address, query.port, addressType, query.fd, query.flags);
    if (typeof handle === 'number') this.#errno = handle;
    else this.#handle = handle;
  }

  add(peer: PortPeer, answer: QueryAnswer): void {
    if (this.#waiting !== null) {
      this.#waiting.push([peer, answer]);
      return;
    }
    // Gone while the socket was binding: it holds nothing (its 'disconnect' is on the way).
    if (!peer.channel.isOpen) return;
    // Keyed: asked twice (duplicated or replayed), it is answered twice and still counted once.
    if (!this.#peers.has(peer)) this.#peers.set(peer, 0);
    answer(this.#errno, {}, this.#handle ?? undefined);
  }

  stats(): ListenerStats {
    return {
      key: this.key,
      mode: 'shared',
      ...this.#where,
      port: boundPort(this.#where.port, this.#handle),
      workers: [...this.#peers].map(([peer, connections]) => ({ id: peer.id, connections, handed: null })),
    };
  }

  reportLoad(peer: PortPeer, connections: number): void {
    if (this.#peers.has(peer)) this.#peers.set(peer, connections);
  }

  remove(peer: PortPeer): boolean {
    if (this.#closed) return false;
    this.#peers.delete(peer);
    if (this.#waiting !== null) this.#waiting = this.#waiting.filter(([waiting]) => waiting !== peer);
    if (this.#peers.size > 0 || (this.#waiting?.length ?? 0) > 0) return false;
    // The last one left (maybe while the socket was still binding: it closes once bound).
    this.#closed = true;
    this.#handle?.close();
    this.#handle = null;
    return true;
  }

  #bindUdp(address: string | null, query: ServerQuery): void {
    // A dgram socket binds here like in any process; its raw handle is what travels.
    const socket = dgram.createSocket({
      type: query.addressType as 'udp4' | 'udp6',
      reuseAddr: query.reuseAddr === true,
      ipv6Only: query.ipv6Only === true,
    });
    this.#waiting = [];
    const settle = (errno: number): void => {
      const waiting = this.#waiting ?? [];
      this.#waiting = null;
      if (this.#closed) {
        // Everyone who asked left while it was binding.
        if (errno === 0) socket.close();
        return;
      }
      if (errno === 0) {
        const handle = udpStateOf(socket)?.handle;
        // The primary only holds the socket for its workers: reading here would swallow their datagrams.
        handle?.recvStop?.();
        this.#handle = handle ?? null;
      }
      this.#errno = errno === 0 && this.#handle === null ? UV_EINVAL : errno;
      for (const [peer, answer] of waiting) this.add(peer, answer);
    };
    const fail = (error: NodeJS.ErrnoException): void => {
      socket.close();
      settle(typeof error.errno === 'number' ? error.errno : UV_EINVAL);
    };
    socket.once('listening', () => settle(0));
    socket.once('error', fail);
    const { fd } = query;
    if (typeof fd === 'number' && fd > 0) {
      // `bind({ fd })` in a worker: the descriptor is ours. Node's primary opens it, and answers EINVAL when
      // it is no UDP socket (here dgram throws for that, and for a failed open, at once).
      try {
        socket.bind({ fd, exclusive: true });
      } catch (error) {
        fail(error as NodeJS.ErrnoException);
      }
      return;
    }
    socket.bind({ port: query.port ?? 0, address: address ?? undefined, exclusive: true });
  }
}
