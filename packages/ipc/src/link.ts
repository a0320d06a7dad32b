import {
  closeHandle,
  type IpcEndpoint,
  isConnected,
  type SendCallback,
  type SendHandle,
  type SendOptions,
} from './endpoint.ts';
import { invalidFrame, namespaceInUse, unknownNamespace } from './errors.ts';
import { guardChildProcessTraffic } from './internal-guard.ts';
import { peerLabel, warnInvalidFrames } from './invalid-report.ts';
import {
  decodeFrame,
  describeMalformed,
  encodeError,
  FRAME_CMD,
  type Frame,
  isFrameLike,
  isInternalLike,
  namespaceOf,
  type UserFrame,
} from './wire.ts';

/** Receives the frames of one namespace. */
export interface FrameSink {
  receive(frame: Exclude<Frame, UserFrame>, handle: SendHandle | undefined): void;
  /** A frame of this namespace was malformed and dropped; `error` says how. */
  invalid(error: Error & { code: string }): void;
  /** The channel has closed: nothing more arrives or leaves. */
  close(): void;
}

type RawSend = (message: unknown, handle?: unknown, options?: unknown, callback?: unknown) => boolean;

/**
 * The one listener an endpoint gets: it decodes internal messages, hands
 * each frame to the sink of its namespace, unwraps escaped user messages and
 * closes handles that nobody asked for.
 */
export interface Link {
  readonly endpoint: IpcEndpoint;
  attach(namespace: string, sink: FrameSink): void;
  detach(namespace: string, sink: FrameSink): void;
  /**
   * Sends a frame with the endpoint's own `send`, bypassing any user-facing
   * wrapper. Throws what `send` throws (a value the serialization cannot carry).
   */
  sendFrame(frame: Frame, handle?: SendHandle, options?: SendOptions, callback?: SendCallback): boolean;
  /**
   * Sends a user message with `send`'s own argument forms, escaping the
   * message if child_process would route it away from user listeners.
   */
  sendUser(message: unknown, handle?: unknown, options?: unknown, callback?: unknown): boolean;
}

/**
 * One link per endpoint in the whole process, shared by every copy of this package loaded there: the
 * build loads one copy per installed version, but an app may install another version than the cluster's
 * (its own `createChannel(process)`), and two links on one endpoint would each close the handles meant
 * for the other's namespaces. The key names the shape of `Link`; change it if that shape changes.
 */
const kLinks = Symbol.for('@cluster/ipc:links@1');
const scope = globalThis as typeof globalThis & { [kLinks]?: WeakMap<IpcEndpoint, Link> };
const links = (scope[kLinks] ??= new WeakMap<IpcEndpoint, Link>());

/** The link of an endpoint, made on first use. */
export function getLink(endpoint: IpcEndpoint): Link {
  let link = links.get(endpoint);
  if (link === undefined) {
    link = createLink(endpoint);
    links.set(endpoint, link);
  }
  return link;
}

function noChannel(): TypeError {
  return new TypeError('The endpoint has no IPC channel');
}

function createLink(endpoint: IpcEndpoint): Link {
  const sinks = new Map<string, FrameSink>();
  // Captured before anyone wraps `endpoint.send` for users.
  const rawSend = endpoint.send as RawSend | undefined;
  const warn = warnInvalidFrames(() => peerLabel(endpoint));
  /** What no namespace can be named for goes to any channel here (it names the peer best), or is warned about. */
  const reportUnattributed = (error: Error & { code: string }): void => {
    const sink = sinks.values().next().value;
    if (sink !== undefined) sink.invalid(error);
    else warn(error);
  };

  const onInternalMessage = (message: unknown, handle: SendHandle | undefined): void => {
    if (!isFrameLike(message)) return; // child_process's own traffic, or another NODE_ protocol.
    const frame = decodeFrame(message);
    if (frame === undefined) {
      closeHandle(handle);
      const { ns } = message as { ns?: unknown };
      const sink = ns === undefined || typeof ns === 'string' ? sinks.get(namespaceOf({ ns })) : undefined;
      const error = invalidFrame(`Malformed frame: ${describeMalformed(message)}`);
      if (sink !== undefined) sink.invalid(error);
      else reportUnattributed(error);
      return;
    }
    if (frame.k === 'user') {
      endpoint.emit('message', frame.body, handle);
      return;
    }
    const ns = namespaceOf(frame);
    const sink = sinks.get(ns);
    if (sink !== undefined) {
      sink.receive(frame, handle);
      return;
    }
    closeHandle(handle);
    // Nobody here will ever answer: say so rather than leave the peer waiting.
    if (frame.k === 'req' && rawSend !== undefined && isConnected(endpoint)) {
      const err = encodeError(unknownNamespace(ns));
      rawSend.call(
        endpoint,
        { cmd: FRAME_CMD, k: 'res', ns: frame.ns, seq: frame.seq, err },
        undefined,
        undefined,
        noop,
      );
    }
  };

  const onGone = (): void => {
    for (const sink of [...sinks.values()]) sink.close();
  };

  guardChildProcessTraffic(endpoint, reportUnattributed);
  endpoint.on('internalMessage', onInternalMessage);
  endpoint.on('disconnect', onGone);
  // A child that dies without a clean disconnect still ends its requests.
  endpoint.on('exit', onGone);

  return {
    endpoint,
    attach(namespace, sink) {
      if (sinks.has(namespace)) throw namespaceInUse(namespace);
      sinks.set(namespace, sink);
    },
    detach(namespace, sink) {
      if (sinks.get(namespace) === sink) sinks.delete(namespace);
    },
    sendFrame(frame, handle, options, callback) {
      if (rawSend === undefined) throw noChannel();
      return rawSend.call(endpoint, frame, handle, options, callback);
    },
    sendUser(message, handle, options, callback) {
      if (rawSend === undefined) throw noChannel();
      const out = isInternalLike(message) ? { cmd: FRAME_CMD, k: 'user', body: message } : message;
      // child_process sorts out `send`'s optional arguments itself.
      return rawSend.call(endpoint, out, handle, options, callback);
    },
  };
}

function noop(): void {}
