/**
 * The wire format. child_process routes every message whose `cmd` starts with
 * `NODE_` to the `'internalMessage'` event instead of `'message'`, which is
 * what keeps protocol traffic invisible to user listeners (Node's own cluster
 * relies on the same rule). Every frame carries the one `cmd` below.
 */
export const FRAME_CMD = 'NODE_CLUSTER_IPC';

/** A JSON-safe description of an error thrown by a remote handler. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
}

/** A fire-and-forget message. */
export interface NoteFrame {
  cmd: typeof FRAME_CMD;
  k: 'note';
  ns: string;
  act: string;
  body: unknown;
}

/** A message that expects a reply carrying the same `seq`. */
export interface RequestFrame {
  cmd: typeof FRAME_CMD;
  k: 'req';
  ns: string;
  act: string;
  seq: number;
  body: unknown;
}

/** The answer to a request: a body, or the error its handler threw. */
export interface ReplyFrame {
  cmd: typeof FRAME_CMD;
  k: 'res';
  ns: string;
  seq: number;
  body?: unknown;
  err?: WireError;
}

/** A user message that would have looked like a frame, carried through unchanged. */
export interface UserFrame {
  cmd: typeof FRAME_CMD;
  k: 'user';
  body: unknown;
}

export type Frame = NoteFrame | RequestFrame | ReplyFrame | UserFrame;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** True for anything that carries our `cmd`, well-formed or not. */
export function isFrameLike(value: unknown): value is { cmd: typeof FRAME_CMD } {
  return isObject(value) && value.cmd === FRAME_CMD;
}

function isWireError(value: unknown): value is WireError {
  return (
    isObject(value) &&
    typeof value.name === 'string' &&
    typeof value.message === 'string' &&
    (value.code === undefined || typeof value.code === 'string')
  );
}

/**
 * Checks an incoming internal message and returns it as a frame, or
 * `undefined` when it is not one of ours or is malformed. Only own fields of
 * known types are read, so hostile input (wrong types, `__proto__` keys) is
 * dropped rather than acted on.
 */
export function decodeFrame(value: unknown): Frame | undefined {
  if (!isFrameLike(value)) return undefined;
  const frame = value as Record<string, unknown>;
  switch (frame.k) {
    case 'user':
      return Object.hasOwn(frame, 'body') ? (frame as unknown as UserFrame) : undefined;
    case 'note':
      return typeof frame.ns === 'string' && typeof frame.act === 'string'
        ? (frame as unknown as NoteFrame)
        : undefined;
    case 'req':
      return typeof frame.ns === 'string' && typeof frame.act === 'string' && Number.isSafeInteger(frame.seq)
        ? (frame as unknown as RequestFrame)
        : undefined;
    case 'res':
      return typeof frame.ns === 'string' &&
        Number.isSafeInteger(frame.seq) &&
        (frame.err === undefined || isWireError(frame.err))
        ? (frame as unknown as ReplyFrame)
        : undefined;
    default:
      return undefined;
  }
}

/** Describes a thrown value so it survives the JSON serialization. */
export function encodeError(error: unknown): WireError {
  if (error instanceof Error) {
    const { code } = error as { code?: unknown };
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

const errorClasses: Record<string, new (message?: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
};

/** Rebuilds a remote error as an instance of the same built-in class, with its code. */
export function decodeError(wire: WireError): Error {
  const ErrorClass = Object.hasOwn(errorClasses, wire.name) ? errorClasses[wire.name] : Error;
  const error = new (ErrorClass ?? Error)(wire.message);
  if (wire.code !== undefined) (error as Error & { code: string }).code = wire.code;
  return error;
}
