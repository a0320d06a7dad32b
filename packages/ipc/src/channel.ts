import { invalidArgType, outOfRange } from '@cluster/errors';
import { closeHandle, type IpcEndpoint, isConnected, type SendHandle, type SendOptions } from './endpoint.ts';
import { channelClosed, disconnected, invalidFrame, requestTimedOut, unknownAct, unserializable } from './errors.ts';
import { type InvalidFrameReporter, peerLabel, warnInvalidFrames } from './invalid-report.ts';
import { type FrameSink, getLink } from './link.ts';
import { type ActShape, type ActShapes, checkHandle } from './shape.ts';
import {
  DEFAULT_NAMESPACE,
  decodeError,
  encodeError,
  FRAME_CMD,
  type NoteFrame,
  type ReplyFrame,
  type RequestFrame,
} from './wire.ts';

/**
 * What one side can be asked: each act maps a request body to a reply.
 * `void` replies make an act usable as a notification.
 */
// biome-ignore lint/suspicious/noExplicitAny: the body types are the user's, checked at each call site.
type Act = (body: any) => unknown;
export type Api = { [act: string]: Act };

/**
 * What `TLocal`/`TRemote` must be: anything whose members are acts. Written
 * against itself so that an `interface` (which has no index signature) fits too.
 */
export type ApiShape<TApi> = { [TAct in keyof TApi]: Act };

type Body<TApi extends ApiShape<TApi>, TAct extends keyof TApi> = Parameters<TApi[TAct]>[0];
type Result<TApi extends ApiShape<TApi>, TAct extends keyof TApi> = Awaited<ReturnType<TApi[TAct]>>;

/** A reply that travels with a handle, or that has work to run once it has been sent. */
export interface HandleReply<TValue> {
  readonly [kWithHandle]: true;
  readonly value: TValue;
  readonly handle: SendHandle | undefined;
  readonly options: SendOptions | undefined;
  readonly after?: (() => void) | undefined;
}

/**
 * Marks a reply built by `withHandle()`/`replyThen()`. A global symbol, as the link table's key is: a reply
 * may be built by one copy of this package and sent by a channel of another (two installed versions, or
 * one file loaded under two paths), and it must still be recognised. The key names the wrapper's shape.
 */
const kWithHandle = Symbol.for('@cluster/ipc:with-handle@1');

/** Wraps a handler's reply so that `handle` is sent with it. */
export function withHandle<TValue>(value: TValue, handle: SendHandle | undefined, options?: SendOptions) {
  return { [kWithHandle]: true, value, handle, options } as HandleReply<TValue>;
}

/**
 * Wraps a handler's reply so that `after` runs right after the reply was handed to the channel, in
 * the same call: an acknowledgement can leave before the work it acknowledges (Node's cluster worker
 * acks a connection, then serves it).
 */
export function replyThen<TValue>(value: TValue, after: () => void) {
  return { [kWithHandle]: true, value, handle: undefined, options: undefined, after } as HandleReply<TValue>;
}

function isHandleReply(value: unknown): value is HandleReply<unknown> {
  return typeof value === 'object' && value !== null && kWithHandle in value;
}

/** Answers one act; may return a promise, or `withHandle(value, handle)`. */
export type Handler<TApi extends ApiShape<TApi>, TAct extends keyof TApi> = (
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
  /**
   * Receives what a notification's handler throws or rejects with (a request's
   * handler errors go back to the requester instead). Default: ignored.
   */
  onError?: (error: unknown, act: string) => void;
  /**
   * Receives each frame that is dropped as invalid: malformed, a body or reply that does not fit
   * its act's declared shape, a handle where none belongs, or (once acts are declared) an act
   * this side does not know. Default: a `'ClusterWarning'` process warning with the error's code,
   * for the first few on this channel.
   */
  onInvalid?: InvalidFrameReporter;
  /** How warnings name the peer (say, `'worker 3'`). Default: `child process <pid>` or `the parent process`. */
  peer?: string;
}

/**
 * A typed request/reply and notification channel over one IPC endpoint.
 * `TLocal` is what this side answers; `TRemote` is what the peer answers.
 */
export interface Channel<TLocal extends ApiShape<TLocal> = Api, TRemote extends ApiShape<TRemote> = Api> {
  readonly endpoint: IpcEndpoint;
  /** Whether the channel can still carry messages. */
  readonly isOpen: boolean;
  /** Registers the handler of an act; a second registration replaces the first. */
  handle<TAct extends keyof TLocal & string>(act: TAct, handler: Handler<TLocal, TAct>): this;
  /**
   * Declares the shapes of acts, this side's or the peer's: a body that arrives for a declared act
   * is checked before its handler runs, and a reply to a declared act before the requester sees
   * it. What does not fit is not acted on: a request is answered with
   * `ERR_CLUSTER_IPC_INVALID_FRAME`, a reply rejects the request with it, any handle that came
   * along is closed, and `onInvalid` hears of it. Once anything is declared, frames for acts
   * without a handler are reported too. A second declaration of an act replaces the first.
   */
  declare(shapes: ActShapes): this;
  /**
   * Sends a request and resolves with the peer's reply. Rejects with
   * `ERR_IPC_CHANNEL_CLOSED` if the channel is already closed (nothing is
   * sent), `ERR_IPC_DISCONNECTED` if the peer goes away before replying,
   * `ERR_CLUSTER_IPC_TIMEOUT` after `timeout`, `ERR_CLUSTER_IPC_UNSERIALIZABLE`
   * if the body cannot be serialized, or with the error the peer's handler threw.
   */
  request<TAct extends keyof TRemote & string>(
    act: TAct,
    body: Body<TRemote, TAct>,
    options?: RequestOptions,
  ): Promise<Result<TRemote, TAct>>;
  /**
   * `request` with a callback, which also receives a handle sent with the
   * reply; no promise is made. Returns what `send` returns: `false` when the
   * channel is backed up (the request is still sent) or closed.
   */
  call<TAct extends keyof TRemote & string>(
    act: TAct,
    body: Body<TRemote, TAct>,
    options: RequestOptions | undefined,
    callback: ReplyCallback<Result<TRemote, TAct>>,
  ): boolean;
  /**
   * Sends a message that expects no reply. Returns `false` when the channel is
   * backed up (the message is still sent) or closed (it is not). Throws
   * `ERR_CLUSTER_IPC_UNSERIALIZABLE` if the body cannot be serialized.
   */
  notify<TAct extends keyof TRemote & string>(
    act: TAct,
    body: Body<TRemote, TAct>,
    options?: Omit<RequestOptions, 'timeout'>,
  ): boolean;
  /** Rejects what is outstanding with `ERR_IPC_DISCONNECTED` and stops listening; later requests get `ERR_IPC_CHANNEL_CLOSED`. */
  close(): void;
}

interface Pending {
  act: string;
  callback: ReplyCallback<unknown>;
  timer: NodeJS.Timeout | undefined;
}

/** Opens a channel on a `ChildProcess` (in the parent) or on `process` (in the child). */
export function createChannel<TLocal extends ApiShape<TLocal> = Api, TRemote extends ApiShape<TRemote> = Api>(
  endpoint: IpcEndpoint,
  options: ChannelOptions = {},
): Channel<TLocal, TRemote> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  // Frames of the default namespace leave `ns` out (see DEFAULT_NAMESPACE).
  const ns = namespace === DEFAULT_NAMESPACE ? undefined : namespace;
  if (typeof namespace !== 'string') throw invalidArgType('options.namespace', 'of type string', namespace);
  const onError = options.onError;
  if (onError !== undefined && typeof onError !== 'function') {
    throw invalidArgType('options.onError', 'of type function', onError);
  }
  const link = getLink(endpoint);
  // Inside, acts are plain strings; the types are checked where users register and call.
  const handlers = new Map<string, Handler<Api, string>>();
  const shapes = new Map<string, ActShape>();
  const pending = new Map<number, Pending>();
  const peer = options.peer;
  const onInvalid = options.onInvalid ?? warnInvalidFrames(() => peer ?? peerLabel(endpoint));
  if (typeof onInvalid !== 'function') throw invalidArgType('options.onInvalid', 'of type function', onInvalid);
  let nextSeq = 1;
  let open = true;

  const settle = (seq: number, error: Error | null, value?: unknown, handle?: SendHandle): void => {
    const entry = pending.get(seq);
    if (entry === undefined) {
      // Too late (timed out) or never asked for: nobody takes the handle.
      closeHandle(handle);
      return;
    }
    pending.delete(seq);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    if (error !== null && handle !== undefined) {
      // A handle that came with an error reply has nobody to take it.
      closeHandle(handle);
      entry.callback(error);
      return;
    }
    entry.callback(error, value, handle);
  };

  /** A reply's body, checked against its act's shape (if declared) before the requester sees it. */
  const settleReply = (seq: number, value: unknown, handle: SendHandle | undefined): void => {
    const entry = pending.get(seq);
    const shape = entry === undefined ? undefined : shapes.get(entry.act);
    if (entry !== undefined && shape?.reply !== undefined) {
      const problem = shape.reply(value);
      const handleProblem = problem === undefined ? checkHandle(shape.replyHandle ?? 'none', handle) : undefined;
      if (problem !== undefined || handleProblem !== undefined) {
        const error = invalidFrame(
          `Invalid reply to "${entry.act}": ${problem === undefined ? handleProblem : `body${problem}`}`,
        );
        settle(seq, error, undefined, handle);
        onInvalid(error);
        return;
      }
    }
    settle(seq, null, value, handle);
  };

  const sendReply = (frame: ReplyFrame, handle?: SendHandle, sendOptions?: SendOptions): void => {
    // The peer is gone and nobody waits: like `send()` on a closed channel, the handle stays the handler's.
    if (!isConnected(endpoint)) return;
    link.sendFrame(frame, handle, sendOptions, noop);
  };

  const fail = (request: RequestFrame, error: unknown): void => {
    sendReply(
      ns === undefined
        ? { cmd: FRAME_CMD, k: 'res', seq: request.seq, err: encodeError(error) }
        : { cmd: FRAME_CMD, k: 'res', ns, seq: request.seq, err: encodeError(error) },
    );
  };

  const reply = (request: RequestFrame, result: unknown): void => {
    const frame: ReplyFrame =
      ns === undefined
        ? { cmd: FRAME_CMD, k: 'res', seq: request.seq, body: result }
        : { cmd: FRAME_CMD, k: 'res', ns, seq: request.seq, body: result };
    let after: (() => void) | undefined;
    try {
      if (isHandleReply(result)) {
        frame.body = result.value;
        after = result.after;
        sendReply(frame, result.handle, sendOptionsOf(result.options));
      } else {
        sendReply(frame);
      }
    } catch (error) {
      // What the handler returned cannot travel: the requester learns why instead of waiting.
      fail(request, hasCode(error) ? error : unserializable(request.act, error));
      return;
    }
    // Outside the try: what `after` throws is the caller's own error, not a failed reply.
    after?.();
  };

  const reportNoteError = (act: string, error: unknown): void => {
    if (onError !== undefined) onError(error, act);
  };

  const sink: FrameSink = {
    receive(frame, handle) {
      if (frame.k === 'res') {
        if (frame.err === undefined) settleReply(frame.seq, frame.body, handle);
        else settle(frame.seq, decodeError(frame.err), undefined, handle);
        return;
      }
      const handler = handlers.get(frame.act);
      if (handler === undefined) {
        closeHandle(handle);
        const error = unknownAct(frame.act);
        if (frame.k === 'req') fail(frame, error);
        // A channel that declares its acts knows them all: anything else is a mistake or a probe.
        if (shapes.size > 0) onInvalid(error);
        return;
      }
      const shape = shapes.get(frame.act);
      if (shape !== undefined) {
        const problem = shape.body(frame.body);
        const handleProblem = problem === undefined ? checkHandle(shape.handle ?? 'none', handle) : undefined;
        if (problem !== undefined || handleProblem !== undefined) {
          closeHandle(handle);
          const kind = frame.k === 'req' ? 'request' : 'notification';
          const error = invalidFrame(
            `Invalid "${frame.act}" ${kind}: ${problem === undefined ? handleProblem : `body${problem}`}`,
          );
          if (frame.k === 'req') fail(frame, error);
          onInvalid(error);
          return;
        }
      }
      let result: ReturnType<typeof handler>;
      try {
        result = handler(frame.body as never, handle);
      } catch (error) {
        if (frame.k === 'req') fail(frame, error);
        else reportNoteError(frame.act, error);
        return;
      }
      if (isThenable(result)) {
        if (frame.k === 'req') {
          result.then(
            (value) => reply(frame, value),
            (error: unknown) => fail(frame, error),
          );
        } else {
          const { act } = frame;
          result.then(noop, (error: unknown) => reportNoteError(act, error));
        }
      } else if (frame.k === 'req') {
        reply(frame, result);
      }
    },
    invalid(error) {
      onInvalid(error);
    },
    close() {
      if (!open) return;
      open = false;
      link.detach(namespace, sink);
      for (const [seq, entry] of [...pending]) settle(seq, disconnected(entry.act));
    },
  };
  link.attach(namespace, sink);

  const channel: Channel<TLocal, TRemote> = {
    endpoint,
    get isOpen() {
      return open && isConnected(endpoint);
    },
    handle(act, handler) {
      if (typeof handler !== 'function') throw invalidArgType('handler', 'of type function', handler);
      handlers.set(act, handler as unknown as Handler<Api, string>);
      return channel;
    },
    declare(declared) {
      if (typeof declared !== 'object' || declared === null) {
        throw invalidArgType('shapes', 'of type object', declared);
      }
      for (const [act, shape] of Object.entries(declared)) {
        if (typeof shape?.body !== 'function' || (shape.reply !== undefined && typeof shape.reply !== 'function')) {
          throw invalidArgType(`shapes.${act}`, 'an act shape ({ body, reply? })', shape);
        }
        shapes.set(act, shape);
      }
      return channel;
    },
    request(act, body, requestOptions) {
      return new Promise((resolve, reject) => {
        channel.call(act, body, requestOptions, (error, value, handle) => {
          // A promise carries no handle: one that came anyway is closed rather than left open.
          closeHandle(handle);
          if (error) reject(error);
          else resolve(value as never);
        });
      });
    },
    call(act, body, requestOptions, callback) {
      const timeout = requestOptions?.timeout;
      if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0 && timeout <= MAX_TIMEOUT_MS)) {
        throw outOfRange('options.timeout', `>= 0 and <= ${MAX_TIMEOUT_MS}`, timeout);
      }
      if (!open || !isConnected(endpoint)) {
        process.nextTick(callback as ReplyCallback<unknown>, channelClosed());
        return false;
      }
      const seq = nextSeq++;
      const entry: Pending = { act, callback: callback as ReplyCallback<unknown>, timer: undefined };
      if (timeout !== undefined) entry.timer = setTimeout(() => settle(seq, requestTimedOut(act, timeout)), timeout);
      pending.set(seq, entry);
      const frame: RequestFrame =
        ns === undefined
          ? { cmd: FRAME_CMD, k: 'req', act, seq, body }
          : { cmd: FRAME_CMD, k: 'req', ns, act, seq, body };
      try {
        return link.sendFrame(frame, requestOptions?.handle, sendOptionsOf(requestOptions), (error) => {
          // A failed write means the peer is gone, as far as this request can tell.
          if (error) settle(seq, disconnected(act, { cause: error }));
        });
      } catch (error) {
        const reason = hasCode(error) ? error : unserializable(act, error);
        process.nextTick(() => settle(seq, reason));
        return false;
      }
    },
    notify(act, body, notifyOptions) {
      if (!open || !isConnected(endpoint)) return false;
      const frame: NoteFrame =
        ns === undefined ? { cmd: FRAME_CMD, k: 'note', act, body } : { cmd: FRAME_CMD, k: 'note', ns, act, body };
      try {
        return link.sendFrame(frame, notifyOptions?.handle, sendOptionsOf(notifyOptions), noop);
      } catch (error) {
        throw hasCode(error) ? error : unserializable(act, error);
      }
    },
    close() {
      sink.close();
    },
  };
  return channel;
}

/** setTimeout's own ceiling (2^31 - 1 ms); beyond it Node fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function sendOptionsOf(options: SendOptions | undefined): SendOptions | undefined {
  return options?.keepOpen === undefined ? undefined : { keepOpen: options.keepOpen };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Errors child_process throws with a code (`ERR_INVALID_HANDLE_TYPE`, ...) pass through as they are. */
function hasCode(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

function noop(): void {}
