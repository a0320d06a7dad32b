import { EventEmitter } from 'node:events';
import type { IpcEndpoint } from './endpoint.ts';
import { closeHandle } from './endpoint.ts';
import { invalidFrame } from './errors.ts';

/** The handle types child_process knows how to rebuild (its `handleConversion` table). */
const HANDLE_TYPES = new Set(['net.Native', 'net.Server', 'net.Socket', 'dgram.Native', 'dgram.Socket']);

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;

/**
 * child_process's own `'internalMessage'` listener asserts what it is sent, and an assertion there
 * ends the process: a `NODE_HANDLE_ACK` or `NODE_HANDLE_NACK` with no handle awaiting one, or a
 * `NODE_HANDLE` of a type it cannot rebuild or that comes already rebuilt (nested in another one).
 * A peer can send any of them through its own `process._send`. This drops those, closes what they
 * carried and reports them; everything else passes unchanged.
 */
export function guardChildProcessTraffic(
  endpoint: IpcEndpoint,
  report: (error: Error & { code: string }) => void,
): void {
  const target = endpoint as IpcEndpoint & { _handleQueue?: unknown };
  const emit = endpoint.emit as Emit;
  const guarded = function guardedEmit(this: unknown, event: string | symbol, message?: unknown, handle?: unknown) {
    if (event === 'internalMessage') {
      const problem = problemOf(message, handle, target._handleQueue);
      if (problem !== undefined) {
        closeHandle(handle);
        report(invalidFrame(problem));
        return true;
      }
    }
    // As called, so that listeners see the same arguments.
    // biome-ignore lint/complexity/noArguments: forwards exactly what the caller passed, without a copy.
    return Reflect.apply(emit, this, arguments) as boolean;
  };
  (endpoint as unknown as { emit: Emit }).emit = guarded as Emit;
}

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
