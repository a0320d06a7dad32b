import { closeHandle, type IpcEndpoint, isConnected, type SendHandle, type SendOptions } from './endpoint.ts';
import { channelClosed, disconnected, requestTimedOut, unknownAct } from './errors.ts';
import { type FrameSink, getLink } from './link.ts';
import { decodeError, encodeError, FRAME_CMD, type ReplyFrame, type RequestFrame } from './wire.ts';

/**
 * What one side can be asked: each act maps a request body to a reply.
 * `void` replies make an act usable as a notification.
 */
// biome-ignore lint/suspicious/noExplicitAny: the body types are the user's, checked at each call site.
export type Api = { [act: string]: (body: any) => unknown };

type Body<TApi extends Api, TAct extends keyof TApi> = Parameters<TApi[TAct]>[0];
type Result<TApi extends Api, TAct extends keyof TApi> = Awaited<ReturnType<TApi[TAct]>>;

/** A reply that travels with a handle. */
export interface HandleReply<TValue> {
  readonly [kWithHandle]: true;
  readonly value: TValue;
  readonly handle: SendHandle | undefined;
  readonly options: SendOptions | undefined;
}

const kWithHandle = Symbol('withHandle');

/** Wraps a handler's reply so that `handle` is sent with it. */
export function withHandle<TValue>(value: TValue, handle: SendHandle | undefined, options?: SendOptions) {
  return { [kWithHandle]: true, value, handle, options } as HandleReply<TValue>;
}

function isHandleReply(value: unknown): value is HandleReply<unknown> {
  return typeof value === 'object' && value !== null && kWithHandle in value;
}

/** Answers one act; may return a promise, or `withHandle(value, handle)`. */
export type Handler<TApi extends Api, TAct extends keyof TApi> = (
  body: Body<TApi, TAct>,
  handle: SendHandle | undefined,
) =>
  | Result<TApi, TAct>
  | HandleReply<Result<TApi, TAct>>
  | Promise<Result<TApi, TAct> | HandleReply<Result<TApi, TAct>>>;

export interface RequestOptions extends SendOptions {
  /** A handle (socket, server, UDP socket) sent along with the request. */
  handle?: SendHandle;
  /** Reject with `ERR_CLUSTER_IPC_TIMEOUT` if no reply comes within this many milliseconds. */
  timeout?: number;
}

/** Receives a reply: an error, or the reply's value and the handle that came with it. */
export type ReplyCallback<TValue> = (error: Error | null, value?: TValue, handle?: SendHandle) => void;

export interface ChannelOptions {
  /** Keeps independent protocols on one endpoint apart. Default: `'default'`. */
  namespace?: string;
}

/**
 * A typed request/reply and notification channel over one IPC endpoint.
 * `TLocal` is what this side answers; `TRemote` is what the peer answers.
 */
export interface Channel<TLocal extends Api = Api, TRemote extends Api = Api> {
  readonly endpoint: IpcEndpoint;
  /** Whether the channel can still carry messages. */
  readonly isOpen: boolean;
  /** Registers the handler of an act; a second registration replaces the first. */
  handle<TAct extends keyof TLocal & string>(act: TAct, handler: Handler<TLocal, TAct>): this;
  /** Sends a request and resolves with the peer's reply. */
  request<TAct extends keyof TRemote & string>(
    act: TAct,
    body: Body<TRemote, TAct>,
    options?: RequestOptions,
  ): Promise<Result<TRemote, TAct>>;
  /** `request` with a callback, which also receives a handle sent with the reply. */
  call<TAct extends keyof TRemote & string>(
    act: TAct,
    body: Body<TRemote, TAct>,
    options: RequestOptions | undefined,
    callback: ReplyCallback<Result<TRemote, TAct>>,
  ): boolean;
  /** Sends a message that expects no reply. Returns `false` when the channel is backed up or closed. */
  notify<TAct extends keyof TRemote & string>(
    act: TAct,
    body: Body<TRemote, TAct>,
    options?: Omit<RequestOptions, 'timeout'>,
  ): boolean;
  /** Rejects what is outstanding with `ERR_IPC_DISCONNECTED` and stops listening. */
  close(): void;
}

interface Pending {
  act: string;
  callback: ReplyCallback<unknown>;
  timer: NodeJS.Timeout | undefined;
}

const DEFAULT_NAMESPACE = 'default';

/** Opens a channel on a `ChildProcess` (in the parent) or on `process` (in the child). */
export function createChannel<TLocal extends Api = Api, TRemote extends Api = Api>(
  endpoint: IpcEndpoint,
  options: ChannelOptions = {},
): Channel<TLocal, TRemote> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const link = getLink(endpoint);
  const handlers = new Map<string, Handler<TLocal, string>>();
  const pending = new Map<number, Pending>();
  let nextSeq = 1;
  let open = true;

  const settle = (seq: number, error: Error | null, value?: unknown, handle?: SendHandle): void => {
    const entry = pending.get(seq);
    if (entry === undefined) {
      closeHandle(handle);
      return;
    }
    pending.delete(seq);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.callback(error, value, handle);
  };

  const reply = (request: RequestFrame, result: unknown): void => {
    const frame: ReplyFrame = { cmd: FRAME_CMD, k: 'res', ns: namespace, seq: request.seq, body: undefined };
    let handle: SendHandle | undefined;
    let sendOptions: SendOptions | undefined;
    if (isHandleReply(result)) {
      frame.body = result.value;
      handle = result.handle;
      sendOptions = result.options;
    } else {
      frame.body = result;
    }
    if (!isConnected(endpoint)) return;
    link.sendFrame(frame, handle, sendOptions, noop);
  };

  const fail = (request: RequestFrame, error: unknown): void => {
    if (!isConnected(endpoint)) return;
    link.sendFrame(
      { cmd: FRAME_CMD, k: 'res', ns: namespace, seq: request.seq, err: encodeError(error) },
      undefined,
      undefined,
      noop,
    );
  };

  const sink: FrameSink = {
    receive(frame, handle) {
      if (frame.k === 'res') {
        settle(frame.seq, frame.err === undefined ? null : decodeError(frame.err), frame.body, handle);
        return;
      }
      const handler = handlers.get(frame.act);
      if (handler === undefined) {
        closeHandle(handle);
        if (frame.k === 'req') fail(frame, unknownAct(frame.act));
        return;
      }
      let result: ReturnType<typeof handler>;
      try {
        result = handler(frame.body as never, handle);
      } catch (error) {
        if (frame.k === 'req') fail(frame, error);
        return;
      }
      if (frame.k === 'note') return;
      if (result instanceof Promise) {
        result.then(
          (value) => reply(frame, value),
          (error: unknown) => fail(frame, error),
        );
      } else {
        reply(frame, result);
      }
    },
    close() {
      if (!open) return;
      open = false;
      link.detach(namespace, sink);
      const error = disconnected();
      for (const seq of [...pending.keys()]) settle(seq, error);
    },
  };
  link.attach(namespace, sink);

  const channel: Channel<TLocal, TRemote> = {
    endpoint,
    get isOpen() {
      return open && isConnected(endpoint);
    },
    handle(act, handler) {
      handlers.set(act, handler as unknown as Handler<TLocal, string>);
      return channel;
    },
    request(act, body, requestOptions) {
      return new Promise((resolve, reject) => {
        channel.call(act, body, requestOptions, (error, value) => {
          if (error) reject(error);
          else resolve(value as never);
        });
      });
    },
    call(act, body, requestOptions, callback) {
      if (!open || !isConnected(endpoint)) {
        process.nextTick(callback as ReplyCallback<unknown>, open ? channelClosed() : disconnected());
        return false;
      }
      const seq = nextSeq++;
      const entry: Pending = { act, callback: callback as ReplyCallback<unknown>, timer: undefined };
      const timeout = requestOptions?.timeout;
      if (timeout !== undefined && timeout >= 0) {
        entry.timer = setTimeout(() => settle(seq, requestTimedOut(act, timeout)), timeout);
      }
      pending.set(seq, entry);
      const frame: RequestFrame = { cmd: FRAME_CMD, k: 'req', ns: namespace, act, seq, body };
      return link.sendFrame(frame, requestOptions?.handle, sendOptionsOf(requestOptions), (error) => {
        if (error) settle(seq, error);
      });
    },
    notify(act, body, notifyOptions) {
      if (!open || !isConnected(endpoint)) return false;
      return link.sendFrame(
        { cmd: FRAME_CMD, k: 'note', ns: namespace, act, body },
        notifyOptions?.handle,
        sendOptionsOf(notifyOptions),
        noop,
      );
    },
    close() {
      sink.close();
    },
  };
  return channel;
}

function sendOptionsOf(options: SendOptions | undefined): SendOptions | undefined {
  return options?.keepOpen === undefined ? undefined : { keepOpen: options.keepOpen };
}

function noop(): void {}
