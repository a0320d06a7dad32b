import { type CodedError, createError } from '@cluster/errors';

/**
 * The channel was already closed, so nothing was sent (child_process's own
 * code for `send()` on a closed channel).
 */
export function channelClosed(): CodedError<'ERR_IPC_CHANNEL_CLOSED'> {
  return createError(Error, 'ERR_IPC_CHANNEL_CLOSED', 'Channel closed');
}

/** The request was sent, and the peer disconnected or exited (or the channel was closed) before replying. */
export function disconnected(act?: string, options?: ErrorOptions): CodedError<'ERR_IPC_DISCONNECTED'> {
  const message =
    act === undefined ? 'IPC channel is already disconnected' : `IPC channel disconnected before "${act}" got a reply`;
  return createError(Error, 'ERR_IPC_DISCONNECTED', message, options);
}

/** A request saw no reply within its `timeout`. */
export function requestTimedOut(act: string, timeout: number): CodedError<'ERR_CLUSTER_IPC_TIMEOUT'> {
  return createError(Error, 'ERR_CLUSTER_IPC_TIMEOUT', `Request "${act}" got no reply within ${timeout} ms`);
}

/** The peer has no handler for the requested act. */
export function unknownAct(act: string): CodedError<'ERR_CLUSTER_IPC_UNKNOWN_ACT'> {
  return createError(Error, 'ERR_CLUSTER_IPC_UNKNOWN_ACT', `No handler for "${act}"`);
}

/** The peer has no channel open in the request's namespace. */
export function unknownNamespace(namespace: string): CodedError<'ERR_CLUSTER_IPC_UNKNOWN_NAMESPACE'> {
  return createError(
    Error,
    'ERR_CLUSTER_IPC_UNKNOWN_NAMESPACE',
    `No IPC channel in namespace "${namespace}" on the other side`,
  );
}

/**
 * child_process could not serialize a frame: `'json'` cannot carry BigInt or
 * circular values, `'advanced'` cannot carry functions or symbols.
 */
export function unserializable(act: string, cause: unknown): CodedError<'ERR_CLUSTER_IPC_UNSERIALIZABLE'> {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return createError(
    TypeError,
    'ERR_CLUSTER_IPC_UNSERIALIZABLE',
    `The "${act}" message cannot be serialized for the IPC channel: ${reason}`,
    { cause },
  );
}

/** A second channel asked for a namespace that one on the same endpoint already has. */
export function namespaceInUse(namespace: string): CodedError<'ERR_CLUSTER_IPC_NAMESPACE_IN_USE'> {
  return createError(
    Error,
    'ERR_CLUSTER_IPC_NAMESPACE_IN_USE',
    `IPC namespace "${namespace}" is already in use on this endpoint`,
  );
}

/**
 * A frame that does not fit the protocol: a malformed envelope, a body or reply that does not fit
 * its act's declared shape, a handle where none belongs, or none where one is needed.
 */
export function invalidFrame(message: string): CodedError<'ERR_CLUSTER_IPC_INVALID_FRAME'> {
  return createError(Error, 'ERR_CLUSTER_IPC_INVALID_FRAME', message);
}
