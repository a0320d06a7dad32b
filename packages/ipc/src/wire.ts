/**
 * The wire format. child_process routes every message whose `cmd` starts with
 * `NODE_` to the `'internalMessage'` event instead of `'message'`, which is
 * what keeps protocol traffic invisible to user listeners (Node's own cluster
 * relies on the same rule). Every frame carries the one `cmd` below.
 */
export const FRAME_CMD = 'NODE_CLUSTER_IPC';

/**
 * The namespace of channels opened without one. Frames of this namespace leave `ns` out: one key
 * less to serialize on every message, which is most of a small frame's cost under `'advanced'`.
 */
export const DEFAULT_NAMESPACE = 'default';

/** Every `cmd` with this prefix is routed to `'internalMessage'` by child_process. */
const INTERNAL_PREFIX = 'NODE_';

/** A JSON-safe description of an error thrown by a remote handler. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  /** For system errors (`ENOENT`, `EADDRINUSE`, ...), as Node's own carry them. */
  errno?: number;
  syscall?: string;
}

/** A fire-and-forget message. */
export interface NoteFrame {
  cmd: typeof FRAME_CMD;
  k: 'note';
  /** Absent for the default namespace. */
  ns?: string;
  act: string;
  body: unknown;
}

/** A message that expects a reply carrying the same `seq`. */
export interface RequestFrame {
  cmd: typeof FRAME_CMD;
  k: 'req';
  /** Absent for the default namespace. */
  ns?: string;
  act: string;
  seq: number;
  body: unknown;
}

/** The answer to a request: a body, or the error its handler threw. */
export interface ReplyFrame {
  cmd: typeof FRAME_CMD;
  k: 'res';
  /** Absent for the default namespace. */
  ns?: string;
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

/**
 * True for any message child_process would keep from `'message'` listeners
 * (a `cmd` starting with `NODE_`, as child_process's own `isInternal` tests).
 * A user message of this shape must be escaped to reach the peer's user code.
 */
export function isInternalLike(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { cmd } = value;
  return typeof cmd === 'string' && cmd.length > INTERNAL_PREFIX.length && cmd.startsWith(INTERNAL_PREFIX);
}

function isWireError(value: unknown): value is WireError {
  return (
    isObject(value) &&
    typeof value.name === 'string' &&
    typeof value.message === 'string' &&
    (value.code === undefined || typeof value.code === 'string') &&
    (value.errno === undefined || typeof value.errno === 'number') &&
    (value.syscall === undefined || typeof value.syscall === 'string')
  );
}

/** What a reply carries instead of an error the peer described badly: the request still ends. */
export const MALFORMED_ERROR: Readonly<WireError> = Object.freeze({
  name: 'Error',
  message: 'The peer replied with a malformed error',
  code: 'ERR_CLUSTER_IPC_INVALID_FRAME',
});

/** A frame's `ns`: a string, or absent for the default namespace. */
const isNamespace = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string';

/** The namespace a frame belongs to. */
export const namespaceOf = (frame: { ns?: string }): string => frame.ns ?? DEFAULT_NAMESPACE;

/**
 * Checks an incoming internal message and returns it as a frame, or
 * `undefined` when it is not one of ours or is malformed. Each field is
 * type-checked before use; what comes off the channel is a fresh plain object
 * whose `__proto__` key, if any, is an own property and never a prototype, so
 * hostile input is dropped rather than acted on. No copy is made.
 */
export function decodeFrame(value: unknown): Frame | undefined {
  if (!isFrameLike(value)) return undefined;
  const frame = value as Record<string, unknown>;
  switch (frame.k) {
    case 'user':
      return Object.hasOwn(frame, 'body') ? (frame as unknown as UserFrame) : undefined;
    case 'note':
      return isNamespace(frame.ns) && typeof frame.act === 'string' ? (frame as unknown as NoteFrame) : undefined;
    case 'req':
      return isNamespace(frame.ns) && typeof frame.act === 'string' && Number.isSafeInteger(frame.seq)
        ? (frame as unknown as RequestFrame)
        : undefined;
    case 'res':
      if (!isNamespace(frame.ns) || !Number.isSafeInteger(frame.seq)) return undefined;
      if (frame.err === undefined || isWireError(frame.err)) return frame as unknown as ReplyFrame;
      // The request it answers is known: end it with an error rather than leave it hanging.
      return {
        cmd: FRAME_CMD,
        k: 'res',
        ns: frame.ns as string | undefined,
        seq: frame.seq as number,
        err: MALFORMED_ERROR,
      };
    default:
      return undefined;
  }
}

/**
 * Says what is wrong with a message that carries our `cmd` but that `decodeFrame` refused; only
 * called then, to word the warning.
 */
export function describeMalformed(value: { cmd: typeof FRAME_CMD }): string {
  const frame = value as Record<string, unknown>;
  const show = (key: string) => {
    const field = frame[key];
    if (!Object.hasOwn(frame, key)) return `${key}: missing`;
    const kind = Array.isArray(field) ? 'an array' : field === null ? 'null' : typeof field;
    return `${key}: unexpected ${kind}`;
  };
  switch (frame.k) {
    case 'user':
      return 'body: missing';
    case 'note':
    case 'req':
    case 'res':
      if (!isNamespace(frame.ns)) return show('ns');
      if (frame.k !== 'res' && typeof frame.act !== 'string') return show('act');
      return show('seq');
    default:
      return `k: ${Object.hasOwn(frame, 'k') ? 'not one of "note", "req", "res", "user"' : 'missing'}`;
  }
}

/** Describes a thrown value so it survives the JSON serialization. */
export function encodeError(error: unknown): WireError {
  try {
    if (error instanceof Error) {
      const { code, errno, syscall } = error as { code?: unknown; errno?: unknown; syscall?: unknown };
      const wire: WireError = { name: String(error.name), message: String(error.message) };
      if (typeof code === 'string') wire.code = code;
      if (typeof errno === 'number') wire.errno = errno;
      if (typeof syscall === 'string') wire.syscall = syscall;
      return wire;
    }
    return { name: 'Error', message: String(error) };
  } catch {
    // A getter that throws, or a value with no string form (`Object.create(null)`).
    return { name: 'Error', message: 'A remote handler threw a value that cannot be described' };
  }
}

const errorClasses: Record<string, new (message?: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

type DecodedError = Error & { code?: string; errno?: number; syscall?: string };

/**
 * Rebuilds a remote error as an instance of the same built-in class, with its
 * code. Other classes cannot be rebuilt: they arrive as `Error` keeping their `name`.
 */
export function decodeError(wire: WireError): Error {
  const known = Object.hasOwn(errorClasses, wire.name);
  const ErrorClass = (known ? errorClasses[wire.name] : undefined) ?? Error;
  const error: DecodedError = new ErrorClass(wire.message);
  if (!known) Object.defineProperty(error, 'name', { value: wire.name, writable: true, configurable: true });
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.errno !== undefined) error.errno = wire.errno;
  if (wire.syscall !== undefined) error.syscall = wire.syscall;
  return error;
}
