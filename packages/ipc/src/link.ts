import { closeHandle, type IpcEndpoint, type SendCallback, type SendHandle, type SendOptions } from './endpoint.ts';
import { decodeFrame, FRAME_CMD, type Frame, isFrameLike } from './wire.ts';

/** Receives the frames of one namespace. */
export interface FrameSink {
  receive(frame: Exclude<Frame, { k: 'user' }>, handle: SendHandle | undefined): void;
  /** The channel has closed: nothing more arrives or leaves. */
  close(): void;
}

type RawSend = (message: unknown, ...rest: unknown[]) => boolean;

/**
 * The one listener an endpoint gets: it decodes internal messages, hands
 * each frame to the sink of its namespace, unwraps escaped user messages and
 * closes handles that nobody asked for.
 */
export interface Link {
  readonly endpoint: IpcEndpoint;
  attach(namespace: string, sink: FrameSink): void;
  detach(namespace: string, sink: FrameSink): void;
  /** Sends a frame with the endpoint's own `send`, bypassing any user-facing wrapper. */
  sendFrame(frame: Frame, handle?: SendHandle, options?: SendOptions, callback?: SendCallback): boolean;
  /**
   * Sends a user message with `send`'s own argument forms, escaping the
   * message if it would pass for a frame so that it reaches user listeners.
   */
  sendUser(message: unknown, ...rest: unknown[]): boolean;
}

const links = new WeakMap<IpcEndpoint, Link>();

/** The link of an endpoint, made on first use. */
export function getLink(endpoint: IpcEndpoint): Link {
  let link = links.get(endpoint);
  if (link === undefined) {
    link = createLink(endpoint);
    links.set(endpoint, link);
  }
  return link;
}

function createLink(endpoint: IpcEndpoint): Link {
  const sinks = new Map<string, FrameSink>();
  // Captured before anyone wraps `endpoint.send` for users.
  const rawSend = endpoint.send as RawSend | undefined;

  const onInternalMessage = (message: unknown, handle: SendHandle | undefined): void => {
    if (!isFrameLike(message)) return; // child_process's own traffic, or another NODE_ protocol.
    const frame = decodeFrame(message);
    if (frame === undefined) {
      closeHandle(handle);
      return;
    }
    if (frame.k === 'user') {
      endpoint.emit('message', frame.body, handle);
      return;
    }
    const sink = sinks.get(frame.ns);
    if (sink === undefined) {
      closeHandle(handle);
      return;
    }
    sink.receive(frame, handle);
  };

  const onGone = (): void => {
    for (const sink of [...sinks.values()]) sink.close();
  };

  endpoint.on('internalMessage', onInternalMessage);
  endpoint.on('disconnect', onGone);
  // A child that dies without a clean disconnect still ends its requests.
  endpoint.on('exit', onGone);

  const send = (message: unknown, handle?: SendHandle, options?: SendOptions, callback?: SendCallback) => {
    if (rawSend === undefined) throw new TypeError('The endpoint has no IPC channel');
    return rawSend.call(endpoint, message, handle, options ?? {}, callback);
  };

  return {
    endpoint,
    attach(namespace, sink) {
      if (sinks.has(namespace)) throw new Error(`IPC namespace "${namespace}" is already in use on this endpoint`);
      sinks.set(namespace, sink);
    },
    detach(namespace, sink) {
      if (sinks.get(namespace) === sink) sinks.delete(namespace);
    },
    sendFrame: send,
    sendUser(message, ...rest) {
      if (rawSend === undefined) throw new TypeError('The endpoint has no IPC channel');
      const out = isFrameLike(message) ? { cmd: FRAME_CMD, k: 'user', body: message } : message;
      return rawSend.call(endpoint, out, ...rest);
    },
  };
}
