export type {
  Api,
  ApiShape,
  Channel,
  ChannelOptions,
  HandleReply,
  Handler,
  ReplyCallback,
  RequestOptions,
} from './channel.ts';
export { createChannel, replyThen, withHandle } from './channel.ts';
export type { IpcEndpoint, SendCallback, SendHandle, SendOptions } from './endpoint.ts';
export { closeHandle, isConnected } from './endpoint.ts';
export { channelClosed, disconnected, requestTimedOut } from './errors.ts';
export type { InvalidFrameReporter } from './invalid-report.ts';
export { MAX_INVALID_WARNINGS } from './invalid-report.ts';
export type { ActShape, ActShapes, HandleRule, Infer, Shape } from './shape.ts';
export { shape } from './shape.ts';
export { guardUserSend, sendUserMessage } from './user-messages.ts';
export type { Frame, WireError } from './wire.ts';
export { decodeFrame, FRAME_CMD, isFrameLike, isInternalLike } from './wire.ts';
