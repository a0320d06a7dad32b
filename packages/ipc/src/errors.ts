import { type CodedError, createError } from '@cluster/errors';

/** The channel was closed before or while sending (child_process's own code). */
export function channelClosed(): CodedError<'ERR_IPC_CHANNEL_CLOSED'> {
  return createError(Error, 'ERR_IPC_CHANNEL_CLOSED', 'Channel closed');
}

/** The peer went away with a request outstanding. */
export function disconnected(): CodedError<'ERR_IPC_DISCONNECTED'> {
  return createError(Error, 'ERR_IPC_DISCONNECTED', 'IPC channel is already disconnected');
}

/** A request saw no reply within its `timeout`. */
export function requestTimedOut(act: string, timeout: number): CodedError<'ERR_CLUSTER_IPC_TIMEOUT'> {
  return createError(Error, 'ERR_CLUSTER_IPC_TIMEOUT', `Request "${act}" got no reply within ${timeout} ms`);
}

/** The peer has no handler for the requested act. */
export function unknownAct(act: string): CodedError<'ERR_CLUSTER_IPC_UNKNOWN_ACT'> {
  return createError(Error, 'ERR_CLUSTER_IPC_UNKNOWN_ACT', `No handler for "${act}"`);
}
