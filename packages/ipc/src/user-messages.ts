import type { IpcEndpoint } from './endpoint.ts';
import { getLink } from './link.ts';

/**
 * Sends a user message over an endpoint, with `send`'s own argument forms.
 * A message that would pass for a protocol frame is escaped, so that the
 * peer delivers it to its `'message'` listeners instead of acting on it.
 */
export function sendUserMessage(endpoint: IpcEndpoint, message: unknown, ...rest: unknown[]): boolean {
  return getLink(endpoint).sendUser(message, ...rest);
}

/**
 * Replaces `endpoint.send` with one that escapes like `sendUserMessage`, so
 * that user code calling `process.send()` or `child.send()` directly cannot
 * forge protocol traffic. Frames still leave through the original `send`.
 */
export function guardUserSend(endpoint: IpcEndpoint): void {
  const link = getLink(endpoint);
  if (typeof endpoint.send !== 'function') return;
  Object.defineProperty(endpoint, 'send', {
    value: function send(message: unknown, ...rest: unknown[]): boolean {
      return link.sendUser(message, ...rest);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
