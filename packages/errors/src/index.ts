export type { CodedError } from './node-error.ts';
export { createError, invalidArgType, invalidArgValue, outOfRange } from './node-error.ts';
export type { SystemError } from './system-error.ts';
export { createSystemError } from './system-error.ts';
