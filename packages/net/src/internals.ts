/**
 * The few Node internals port sharing needs, named in one place. Each is
 * what Node's own cluster uses; none is reachable through a public API.
 */
import dgram from 'node:dgram';
import net from 'node:net';

/** A libuv stream or UDP handle as child_process passes them. */
export interface RawHandle {
  close(callback?: () => void): void;
  getsockname?(out: Record<string, unknown>): number;
  getpeername?(out: Record<string, unknown>): number;
  listen?(backlog: number): number;
  onconnection?: ((status: number, client?: RawHandle) => void) | null;
  fchmod?(mode: number): number;
  ref?(): void;
  unref?(): void;
}

interface NetInternals {
  /** Creates a bound TCP or pipe handle, or returns a negative errno (Node's cluster SharedHandle uses it). */
  _createServerHandle(
    address: string | null,
    port: number | null,
    addressType: number | null,
    fd: number | undefined,
    flags: number | undefined,
  ): RawHandle | number;
}

export const createServerHandle = (net as unknown as NetInternals)._createServerHandle;

/** The listen handle of a `net.Server`; Node's RoundRobinHandle takes it over the same way. */
export interface ServerWithHandle extends net.Server {
  _handle: RawHandle | null;
  _listeningId?: number;
  _connections: number;
  _pipeName?: string;
  _getServerData?: () => unknown;
  _setServerData?: (data: unknown) => void;
  _listen2(
    address: string | null,
    port: number,
    addressType: number,
    backlog: number | undefined,
    fd: number | undefined,
    flags: number | undefined,
  ): void;
}

let udpStateSymbol: symbol | undefined;

/** The raw handle and bind options of a dgram socket, kept under Node's `state symbol`. */
export interface UdpState {
  handle: RawHandle & { recvStart?: () => number; recvStop?: () => number };
  reuseAddr?: boolean;
  ipv6Only?: boolean;
  bindState: number;
}

/** The internal state of a dgram socket (the public `_handle` getter is runtime-deprecated). */
export function udpStateOf(socket: dgram.Socket): UdpState | undefined {
  udpStateSymbol ??= Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'state symbol');
  if (udpStateSymbol === undefined) return undefined;
  return (socket as unknown as Record<symbol, UdpState | undefined>)[udpStateSymbol];
}

export { dgram, net };
