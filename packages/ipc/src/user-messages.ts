import type { IpcEndpoint } from './endpoint.ts';
import { getLink } from './link.ts';

/**
 * Sends a user message over an endpoint, with `send`'s own argument forms
 * (`message[, handle][, options][, callback]`). A message that child_process
 * would route away from user listeners (a `cmd` starting with `NODE_`) is
 * escaped, so that the peer delivers it to its `'message'` listeners instead
 * of acting on it. Returns what `send` returns.
 */
export function sendUserMessage(
  endpoint: IpcEndpoint,
  message: unknown,
  handle?: unknown,
  options?: unknown,
  callback?: unknown,
): boolean {
  return getLink(endpoint).sendUser(message, handle, options, callback);
}

/** Marks a guarded `send`; global for the same reason as the link table, so two copies never wrap twice. */
const kGuarded = Symbol.for('@cluster/ipc:guarded-send@1');

/**
 * Replaces `endpoint.send` with one that escapes like `sendUserMessage`, so
 * that user code calling `process.send()` or `child.send()` directly cannot
 * forge protocol traffic. Frames still leave through the original `send`.
 * Calling it again changes nothing.
 */
export function guardUserSend(endpoint: IpcEndpoint): void {
  const link = getLink(endpoint);
  if (typeof endpoint.send !== 'function' || kGuarded in endpoint.send) return;
  const send = function send(message: unknown, handle?: unknown, options?: unknown, callback?: unknown): boolean {
    return link.sendUser(message, handle, options, callback);
  };
  Object.defineProperty(send, kGuarded, { value: true });
  Object.defineProperty(endpoint, 'send', { value: send, writable: true, configurable: true, enumerable: false });
}
