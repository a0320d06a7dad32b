import type { EventEmitter } from 'node:events';

/** Options for sending a handle, as `child.send()` takes them. */
export interface SendOptions {
  /** Keep a sent `net.Socket` open in the sending process. */
  keepOpen?: boolean;
}

export type SendCallback = (error: Error | null) => void;

/** A handle child_process can carry: a socket, a server, a UDP socket, or a raw libuv handle. */
export type SendHandle = object;

/**
 * One end of a Node IPC channel: a `ChildProcess` in the parent, `process`
 * in the child. Both have this shape.
 */
export interface IpcEndpoint extends EventEmitter {
  // `never` parameters accept both `child.send` and `process.send` with all their overloads.
  send?(message: never, ...rest: never[]): boolean;
  readonly connected?: boolean;
}

/** Whether an endpoint has an open IPC channel now. */
export function isConnected(endpoint: IpcEndpoint): boolean {
  return typeof endpoint.send === 'function' && endpoint.connected === true;
}

/**
 * Closes a handle that arrived with nobody to take it, so that it does not
 * hold a file descriptor (and the process) open.
 */
export function closeHandle(handle: unknown): void {
  if (handle === null || typeof handle !== 'object') return;
  const h = handle as { destroy?: () => void; close?: () => void };
  try {
    if (typeof h.destroy === 'function') h.destroy();
    else if (typeof h.close === 'function') h.close();
  } catch {
    // Already closed: nothing is held.
  }
}
