import path from 'node:path';
import { createSystemError } from '@cluster/errors';
import { closeHandle, replyThen } from '@cluster/ipc';
import { dgram, net, type RawHandle, type ServerWithHandle, udpStateOf } from '../internals.ts';
import type { AddressType, ListeningInfo, QueryReply, ServerQuery, WorkerPortsChannel } from '../protocol.ts';
import { PORTS_ACTS } from '../protocol-shapes.ts';
import { AcceptGate } from './accept-gate.ts';
import { HandoffHandle } from './handoff-handle.ts';
import { ListenIndexes } from './listen-indexes.ts';

/**
 * How often, at most, a worker tells the primary how many connections each of its round-robin servers holds
 * (load-aware policies balance on it; the registry's `stats()` reports it): a close after a quiet spell is
 * reported at the end of that turn of the event loop, later ones within this long of the last report, all
 * that changed meanwhile in one message. While nothing changes, nothing runs.
 */
export const LOAD_REPORT_DELAY_MS = 5;
/**
 * The same for a plain SCHED_NONE server (its counts only feed `stats()`) and for the balanced mode's accepts
 * (it also reports every `ACCEPT_REPORT_BATCH` accepts; its closes use `LOAD_REPORT_DELAY_MS`): a longer window
 * coalesces a busy worker's reports into fewer messages (measured: 0.18 → 0.10 reports per connection in the
 * balanced mode).
 */
export const SHARED_REPORT_DELAY_MS = 25;
/** In the balanced mode, a worker reports at once when it has accepted this many since its last report. */
export const ACCEPT_REPORT_BATCH = 16;

const UV_EADDRINUSE = -98;
const UV_EINVAL = -22;
const UV_UDP_IPV6ONLY = 1;
const BIND_STATE_UNBOUND = 0;
const BIND_STATE_BINDING = 1;

/** Options a listen call carried that `_listen2` no longer sees. */
interface ListenExtras {
  exclusive: boolean;
  readableAll: boolean;
  writableAll: boolean;
  ipv6Only: boolean;
}

const kExtras = Symbol('cluster.listenExtras');
type Tracked = ServerWithHandle & { [kExtras]?: ListenExtras };

/** A listener this worker shares through the primary. */
interface Share {
  /** The user's server or socket: what `disconnect()` closes. */
  owner: net.Server | dgram.Socket;
  /** Set for round-robin servers: where handed-off connections go. */
  handoff?: HandoffHandle;
  /** Set for balanced servers: counts accepts and pauses them on the primary's orders. */
  gate?: AcceptGate;
  reported: number;
  reportedAccepted: number;
}

/** Worker-side port sharing, once installed. */
export interface PortSharing {
  /** Closes every shared server and socket; `callback` runs once all have emitted `'close'`. */
  closeAll(callback: () => void): void;
  /** Listeners this worker holds through the primary. */
  readonly size: number;
}

type Listen2 = ServerWithHandle['_listen2'];

/**
 * Routes `listen()` of every `net.Server` (and so http, https, tls) and
 * `bind()` of every dgram socket in this process through the primary, as
 * Node's cluster worker does. `listen(handle)`, `listen({ exclusive: true })`
 * and `bind({ exclusive: true })` keep their own socket.
 */
export function installPortSharing(channel: WorkerPortsChannel): PortSharing {
  channel.declare(PORTS_ACTS);
  const shares = new Map<number, Share>();
  const indexes = new ListenIndexes();
  const serverProto = net.Server.prototype as unknown as Tracked;
  const originalListen = serverProto.listen;
  const originalListen2: Listen2 = serverProto._listen2;
  const originalBind = dgram.Socket.prototype.bind;
  /** The report to come, and when (a `performance.now()` time); one for all shares. */
  let pending: { due: number; cancel: () => void } | null = null;
  let lastReportAt = Number.NEGATIVE_INFINITY;

  const reportBalanced = (key: number, share: Share, gate: AcceptGate, always: boolean): void => {
    const connections = (share.owner as Tracked)._connections;
    if (!always && connections === share.reported && gate.accepted === share.reportedAccepted) return;
    share.reported = connections;
    share.reportedAccepted = gate.accepted;
    channel.notify('accepts', {
      key,
      accepted: gate.accepted,
      connections,
      ...(gate.unsteerable ? { unsteerable: true } : {}),
    });
  };

  const reportLoad = (): void => {
    pending = null;
    lastReportAt = performance.now();
    const counts: Array<[number, number]> = [];
    for (const [key, share] of shares) {
      if (!(share.owner instanceof net.Server)) continue;
      if (share.gate !== undefined) {
        reportBalanced(key, share, share.gate, false);
        continue;
      }
      const connections = (share.owner as Tracked)._connections;
      if (connections !== share.reported) {
        share.reported = connections;
        counts.push([key, connections]);
      }
    }
    if (counts.length > 0) channel.notify('load', { counts });
  };

  /** Reports at `due` at the latest (a report already due by then covers it). */
  const reportBy = (due: number): void => {
    if (pending !== null && pending.due <= due) return;
    pending?.cancel();
    const wait = due - performance.now();
    if (wait <= 0) {
      // At the end of this turn of the event loop, so that every change of the turn goes in one report.
      const immediate = setImmediate(reportLoad).unref();
      pending = { due, cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(reportLoad, wait).unref();
      pending = { due, cancel: () => clearTimeout(timer) };
    }
  };
  // A round-robin (or balanced) server's connection closed: policies read the count, so at once (at the end
  // of this turn), unless a report went out less than LOAD_REPORT_DELAY_MS ago. A 5 ms timer from the close
  // instead came too late for a worker whose requests take 20 ms and arrive every 27: the primary still saw
  // its last connection open and least-connections sent the next one to the slow worker.
  const changedSoon = () => reportBy(Math.max(performance.now(), lastReportAt + LOAD_REPORT_DELAY_MS));
  // A plain shared handle's accept or close (stats only), or the balanced mode's accepts: within 25 ms.
  const changedLater = () => reportBy(performance.now() + SHARED_REPORT_DELAY_MS);

  const track = (key: number, share: Share, mode: QueryReply['mode']): void => {
    shares.set(key, share);
    if (share.owner instanceof net.Server) {
      // Closes matter to the balanced mode's scoring as to round-robin policies: reported soon.
      watchCloses(share.owner as Tracked, mode === 'shared' ? changedLater : changedSoon);
    }
  };

  const untrack = (key: number): void => {
    shares.get(key)?.gate?.close();
    shares.delete(key);
    channel.notify('close', { key });
  };

  const announce = (key: number, owner: net.Server | dgram.Socket, info: Omit<ListeningInfo, 'port'>, port: number) => {
    owner.once('listening', () => {
      // Closed from a listener that ran first (say, `cluster.worker.disconnect()` in the listen callback):
      // as in Node, the primary hears nothing of it.
      if (shares.get(key)?.owner !== owner) return;
      const address = owner.address();
      const actual = typeof address === 'object' && address !== null ? address.port : 0;
      channel.notify('listening', { ...info, port: actual || port });
    });
  };

  /** Asks the primary for a listener; `done` gets its reply (nothing, when the worker is cut off). */
  const query = (
    body: Omit<ServerQuery, 'index'>,
    done: (reply: QueryReply, handle: object | undefined, release: () => void) => void,
  ): void => {
    const indexKey = `${body.address}:${body.port}:${body.addressType}:${body.fd}`;
    const index = indexes.take(indexKey);
    const release = () => indexes.release(indexKey, index);
    channel.call('queryServer', { ...body, index }, undefined, (error, reply, handle) => {
      if ((error as { code?: string } | null)?.code === 'ERR_CLUSTER_IPC_INVALID_FRAME') {
        // The primary refused the query as malformed: the listen fails, as a bad argument does.
        done({ errno: UV_EINVAL, key: 0, data: null, mode: 'rr' }, undefined, release);
        return;
      }
      if (error !== null || reply === undefined) {
        // Cut off from the primary (the worker is leaving): like Node, the listen never completes.
        release();
        return;
      }
      done(reply, handle, release);
    });
  };

  function listen(this: Tracked, ...args: unknown[]) {
    const [first] = args;
    const options =
      first !== null && typeof first === 'object' && !('onconnection' in first)
        ? (first as Record<string, unknown>)
        : {};
    this[kExtras] = {
      exclusive: options.exclusive === true,
      readableAll: options.readableAll === true,
      writableAll: options.writableAll === true,
      ipv6Only: options.ipv6Only === true,
    };
    return Reflect.apply(originalListen, this, args);
  }

  function listen2(
    this: Tracked,
    address: string | null,
    port: number,
    addressType: number,
    backlog: number | undefined,
    fd: number | undefined,
    flags: number | undefined,
  ): void {
    const extras = this[kExtras];
    // A handle of its own (listen(handle)), or exclusive: not shared.
    if (this._handle || extras?.exclusive === true) {
      Reflect.apply(originalListen2, this, [address, port, addressType, backlog, fd, flags]);
      return;
    }
    const resolved =
      port < 0 && typeof address === 'string' && process.platform !== 'win32' ? path.resolve(address) : address;
    const listeningId = this._listeningId;
    query(
      {
        address: resolved,
        port,
        addressType: addressType as AddressType,
        fd,
        flags,
        backlog,
        data: typeof this._getServerData === 'function' ? this._getServerData() : null,
        readableAll: extras?.readableAll,
        writableAll: extras?.writableAll,
        ipv6Only: extras?.ipv6Only,
      },
      (reply, handle, release) => {
        const { errno } = reply;
        if (listeningId !== this._listeningId) {
          // listen() was called again or the server closed meanwhile: this answer is stale.
          closeHandle(handle);
          if (errno === 0) {
            release();
            channel.notify('close', { key: reply.key });
          }
          return;
        }
        if (typeof this._setServerData === 'function') this._setServerData(reply.data);
        const bindErrno = errno === 0 && reply.mode === 'shared' ? checkBoundPort(handle as RawHandle, port) : errno;
        if (bindErrno !== 0) {
          closeHandle(handle);
          release();
          if (errno === 0) channel.notify('close', { key: reply.key });
          this.emit('error', createSystemError(bindErrno, 'bind', address, port));
          return;
        }
        const { key } = reply;
        const onClose = () => {
          release();
          untrack(key);
        };
        let share: Share;
        if (reply.mode === 'rr') {
          const handoff = new HandoffHandle(reply.sockname, onClose);
          this._handle = handoff;
          share = { owner: this, handoff, reported: 0, reportedAccepted: 0 };
        } else {
          const raw = handle as RawHandle;
          this._handle = wrapClose(raw, onClose);
          share = { owner: this, reported: 0, reportedAccepted: 0 };
        }
        track(key, share, reply.mode);
        announce(key, this, { addressType: addressType as AddressType, address: resolved, fd }, port);
        Reflect.apply(originalListen2, this, [address, port, addressType, backlog, fd, flags]);
        const raw = this._handle as RawHandle | null;
        // Node's _listen2 set the handle's onconnection just now; what it counts wraps it.
        if (reply.mode === 'shared' && raw !== null) watchAccepts(raw, changedLater);
        if (reply.mode === 'balanced' && raw !== null && shares.get(key) === share) {
          const server = this;
          const gate: AcceptGate = new AcceptGate(
            raw,
            backlog,
            () => (server as { _unref?: boolean })._unref !== true,
            () => {
              if (gate.accepted - share.reportedAccepted >= ACCEPT_REPORT_BATCH)
                reportBalanced(key, share, gate, false);
              else changedLater();
            },
            () => reportBalanced(key, share, gate, true),
          );
          share.gate = gate;
        }
      },
    );
  }

  function bind(this: dgram.Socket, ...args: unknown[]): dgram.Socket {
    const parsed = parseBind(args);
    const state = udpStateOf(this);
    if (parsed === undefined || state === undefined || state.bindState !== BIND_STATE_UNBOUND || !state.handle) {
      return Reflect.apply(originalBind, this, args) as dgram.Socket;
    }
    const { port, callback } = parsed;
    const type = (this as unknown as { type: 'udp4' | 'udp6' }).type;
    if (callback !== undefined) {
      const onListening = () => {
        this.removeListener('error', removeListeners);
        callback.call(this);
      };
      const removeListeners = () => this.removeListener('listening', onListening);
      this.once('listening', onListening);
      this.once('error', removeListeners);
    }
    state.bindState = BIND_STATE_BINDING;
    const bindShared = (address: string | null, at: number | null, fd: number, flags: number, syscall: string) => {
      query(
        {
          address,
          port: at,
          addressType: type,
          fd,
          flags,
          backlog: undefined,
          data: null,
          reuseAddr: state.reuseAddr,
          ipv6Only: state.ipv6Only,
        },
        (reply, handle, release) => {
          state.bindState = BIND_STATE_UNBOUND;
          if (reply.errno !== 0 || handle === undefined) {
            closeHandle(handle);
            release();
            this.emit('error', createSystemError(reply.errno || UV_EINVAL, syscall, address, at));
            return;
          }
          const { key } = reply;
          const raw = wrapClose(handle as RawHandle, () => {
            release();
            untrack(key);
          });
          track(key, { owner: this, reported: 0, reportedAccepted: 0 }, 'shared');
          announce(key, this, { addressType: type, address, fd }, at ?? 0);
          Reflect.apply(originalBind, this, [raw]);
        },
      );
    };
    // An fd is the primary's (Node's worker asks the primary to open it, as `listen({ fd })` does).
    if (parsed.fd !== undefined) {
      bindShared(null, null, parsed.fd, 0, 'open');
      return this;
    }
    const address = parsed.address || (type === 'udp4' ? '0.0.0.0' : '::');
    const lookup = (
      state.handle as unknown as { lookup: (a: string, cb: (e: Error | null, ip: string) => void) => void }
    ).lookup;
    lookup.call(state.handle, address, (lookupError, ip) => {
      if (lookupError) {
        state.bindState = BIND_STATE_UNBOUND;
        this.emit('error', lookupError);
        return;
      }
      bindShared(ip, port, -1, state.ipv6Only ? UV_UDP_IPV6ONLY : 0, 'bind');
    });
    return this;
  }

  serverProto.listen = listen as typeof serverProto.listen;
  serverProto._listen2 = listen2;
  dgram.Socket.prototype.bind = bind as typeof dgram.Socket.prototype.bind;

  channel.handle('steer', ({ key, paused }) => {
    // Orders for a share this worker closed meanwhile are stale: its listener forgot it.
    const gate = shares.get(key)?.gate;
    if (gate === undefined) return;
    if (paused) gate.pause();
    else gate.resume();
  });

  channel.handle('probe', ({ key }) => {
    const share = shares.get(key);
    if (share?.gate !== undefined) reportBalanced(key, share, share.gate, true);
  });

  channel.handle('newconn', ({ key }, client) => {
    const share = shares.get(key);
    const handoff = share?.handoff;
    if (share === undefined || handoff === undefined || handoff.closed || client === undefined) {
      closeHandle(client);
      return { accepted: false, connections: 0 };
    }
    const server = share.owner as Tracked;
    const { maxConnections } = server;
    // Node treats 0 (like unset) as no limit.
    if (maxConnections && server._connections >= maxConnections) {
      closeHandle(client);
      return { accepted: false, connections: server._connections };
    }
    share.reported = server._connections + 1;
    // The acknowledgement leaves first, so the primary can hand out the next connection sooner.
    return replyThen({ accepted: true, connections: share.reported }, () => deliver(handoff, client as RawHandle));
  });

  return {
    get size() {
      return shares.size;
    },
    closeAll(callback) {
      let waiting = 1;
      const settle = () => {
        waiting -= 1;
        if (waiting === 0) callback();
      };
      for (const share of [...shares.values()]) {
        waiting += 1;
        const { owner } = share;
        if (owner instanceof net.Server) owner.close(() => settle());
        else owner.close(settle);
      }
      settle();
    },
  };
}

const watched = new WeakSet<object>();

/**
 * Calls `onChange` after every connection of `server` closes (Node calls this hook from each socket's destroy).
 * Once per server, however often it listens again.
 */
function watchCloses(server: Tracked, onChange: () => void): void {
  const own = server as unknown as { _emitCloseIfDrained?: () => void };
  const drained = own._emitCloseIfDrained;
  if (typeof drained !== 'function' || watched.has(server)) return;
  watched.add(server);
  own._emitCloseIfDrained = function emitCloseIfDrained(this: unknown) {
    onChange();
    return Reflect.apply(drained, this, []);
  };
}

/** Calls `onChange` after every connection accepted on a SCHED_NONE handle. */
function watchAccepts(handle: RawHandle, onChange: () => void): void {
  const inner = handle.onconnection;
  if (typeof inner !== 'function') return;
  handle.onconnection = function onconnection(this: RawHandle, status: number, client?: RawHandle) {
    onChange();
    return Reflect.apply(inner, this, [status, client]);
  };
}

function deliver(handoff: HandoffHandle, client: RawHandle): void {
  if (handoff.onconnection == null) {
    client.close();
    return;
  }
  handoff.onconnection(0, client);
}

/** Tells the primary when the user's server or socket closes a shared handle. */
function wrapClose(handle: RawHandle, onClose: () => void): RawHandle {
  const close = handle.close;
  let closed = false;
  handle.close = function closeShared(this: RawHandle, ...args: unknown[]) {
    if (!closed) {
      closed = true;
      onClose();
    }
    return Reflect.apply(close, this, args);
  } as RawHandle['close'];
  return handle;
}

/** SCHED_NONE: a handle bound to another port than asked means the port was taken (Node's checkBindError). */
function checkBoundPort(handle: RawHandle | undefined, port: number): number {
  if (port > 0 && handle?.getsockname !== undefined) {
    const out: { port?: number } = {};
    if (handle.getsockname(out) === 0 && out.port !== port) return UV_EADDRINUSE;
  }
  return 0;
}

interface BindArgs {
  port: number;
  address: string | undefined;
  /** `bind({ fd })`: a descriptor of the primary's to share. */
  fd?: number;
  callback: (() => void) | undefined;
}

/** The arguments of `socket.bind()` when they ask for a shared bind; `undefined` when the socket binds alone. */
function parseBind(args: unknown[]): BindArgs | undefined {
  const [first, second] = args;
  const last = args[args.length - 1];
  const callback = typeof last === 'function' ? (last as () => void) : undefined;
  if (first !== null && typeof first === 'object') {
    const options = first as {
      port?: unknown;
      address?: unknown;
      exclusive?: unknown;
      fd?: unknown;
      recvStart?: unknown;
    };
    if (typeof options.recvStart === 'function') return undefined; // A raw handle.
    if (options.exclusive === true) return undefined;
    // Node's test: an int32 above 0 (anything else is ignored, and the port decides).
    if (typeof options.fd === 'number' && (options.fd | 0) === options.fd && options.fd > 0) {
      return { port: 0, address: undefined, fd: options.fd, callback };
    }
    if (!isPort(options.port ?? 0)) return undefined; // Let Node throw its own error.
    return {
      port: Number(options.port ?? 0),
      address: typeof options.address === 'string' ? options.address : undefined,
      callback,
    };
  }
  const port = typeof first === 'function' ? 0 : (first ?? 0);
  if (!isPort(port)) return undefined;
  return { port: Number(port), address: typeof second === 'string' ? second : undefined, callback };
}

function isPort(value: unknown): boolean {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 && number <= 0xffff;
}
