import { EventEmitter } from 'node:events';
import type { IpcEndpoint } from './endpoint.ts';
import { closeHandle } from './endpoint.ts';
import { invalidFrame } from './errors.ts';

/** The handle types child_process knows how to rebuild (its `handleConversion` table). */
const HANDLE_TYPES = new Set(['net.Native', 'net.Server', 'net.Socket', 'dgram.Native', 'dgram.Socket']);

/**
 * child_process's own `'internalMessage'` listener asserts what it is sent, and an assertion there
 * ends the process: a `NODE_HANDLE_ACK` or `NODE_HANDLE_NACK` with no handle awaiting one, or a
 * `NODE_HANDLE` of a type it cannot rebuild or that comes already rebuilt (nested in another one).
 * A peer can send any of them through its own `process._send`. This puts a check in front of that
 * listener, in its place: it drops those, closes what they carried and reports them; everything else
 * reaches child_process unchanged. Other listeners (ours among them) see every message as before.
 */
export function guardChildProcessTraffic(
  endpoint: IpcEndpoint,
  report: (error: Error & { code: string }) => void,
): void {
  const target = endpoint as IpcEndpoint & { _handleQueue?: unknown };
  const listeners = endpoint.rawListeners('internalMessage') as Listener[];
  // child_process's listener is the one that answers handle acknowledgements (setupChannel's).
  const own = listeners.find((listener) => Function.prototype.toString.call(listener).includes('NODE_HANDLE_ACK'));
  if (own === undefined) return;
  const guarded: Listener = function guardedInternalMessage(this: unknown, message, handle) {
    const problem = problemOf(message, handle, target._handleQueue);
    if (problem === undefined) return Reflect.apply(own, this, [message, handle]);
    closeHandle(handle);
    report(invalidFrame(problem));
  };
  endpoint.removeAllListeners('internalMessage');
  for (const listener of listeners) endpoint.on('internalMessage', listener === own ? guarded : listener);
}

type Listener = (message: unknown, handle: unknown) => void;

function problemOf(message: unknown, handle: unknown, handleQueue: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { cmd, type } = message as { cmd?: unknown; type?: unknown };
  if (cmd === 'NODE_HANDLE_ACK' || cmd === 'NODE_HANDLE_NACK') {
    // child_process keeps a queue exactly while a handle it sent awaits the peer's answer.
    return Array.isArray(handleQueue) ? undefined : `${cmd} with no handle awaiting one`;
  }
  if (cmd === 'NODE_HANDLE') {
    if (typeof type !== 'string' || !HANDLE_TYPES.has(type))
      return 'NODE_HANDLE of a type child_process cannot rebuild';
    if (handle instanceof EventEmitter) return 'NODE_HANDLE nested in another one';
  }
  return undefined;
}
