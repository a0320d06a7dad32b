import { type CodedError, createError } from '@cluster/errors';
import { EXIT_CODES } from './exit-codes.ts';

/** Every error code of the CLI's own (the supervisor's codes come through as they are). */
export type CliErrorCode =
  | 'ERR_CLUSTER_UNKNOWN_COMMAND'
  | 'ERR_CLUSTER_UNKNOWN_OPTION'
  | 'ERR_CLUSTER_INVALID_OPTION_VALUE'
  | 'ERR_CLUSTER_MISSING_ARGUMENT'
  | 'ERR_CLUSTER_UNEXPECTED_ARGUMENT'
  | 'ERR_CLUSTER_CONFIG_INVALID'
  | 'ERR_CLUSTER_APP_NOT_FOUND'
  | 'ERR_CLUSTER_TSX_MISSING'
  | 'ERR_CLUSTER_NAME_IN_USE'
  | 'ERR_CLUSTER_INSTANCE_NOT_FOUND'
  | 'ERR_CLUSTER_INSTANCE_AMBIGUOUS'
  | 'ERR_CLUSTER_RUNTIME_DIR_UNSAFE'
  | 'ERR_CLUSTER_CONTROL_FAILED'
  | 'ERR_CLUSTER_BAD_REQUEST'
  | 'ERR_CLUSTER_STATUS_LISTEN_FAILED';

/** A CLI error: a message for a person, a stable code for scripts, and the exit status it ends with. */
export type CliError = CodedError<CliErrorCode | string> & {
  /** The process's exit status for it. */
  exitCode: number;
  /** Printed under the message: what to do about it. */
  hint?: string;
};

/** The codes that mean "you asked for something that cannot be": exit status 2, no stack trace. */
const USAGE: ReadonlySet<string> = new Set<CliErrorCode>([
  'ERR_CLUSTER_UNKNOWN_COMMAND',
  'ERR_CLUSTER_UNKNOWN_OPTION',
  'ERR_CLUSTER_INVALID_OPTION_VALUE',
  'ERR_CLUSTER_MISSING_ARGUMENT',
  'ERR_CLUSTER_UNEXPECTED_ARGUMENT',
  'ERR_CLUSTER_CONFIG_INVALID',
  'ERR_CLUSTER_APP_NOT_FOUND',
  'ERR_CLUSTER_TSX_MISSING',
  'ERR_CLUSTER_NAME_IN_USE',
  'ERR_CLUSTER_INSTANCE_AMBIGUOUS',
  'ERR_CLUSTER_RUNTIME_DIR_UNSAFE',
]);

/** Builds a CLI error; its exit status follows from its code. */
export function cliError(
  code: CliErrorCode,
  message: string,
  options: { hint?: string; cause?: unknown } = {},
): CliError {
  const error = createError(Error, code, message, options.cause === undefined ? undefined : { cause: options.cause });
  return Object.assign(error, {
    exitCode:
      code === 'ERR_CLUSTER_INSTANCE_NOT_FOUND'
        ? EXIT_CODES.notRunning
        : USAGE.has(code)
          ? EXIT_CODES.usage
          : EXIT_CODES.failure,
    ...(options.hint === undefined ? {} : { hint: options.hint }),
  });
}

/** Whether `error` is one the CLI made on purpose (printed as a message, never as a stack trace). */
export function isCliError(error: unknown): error is CliError {
  return error instanceof Error && typeof (error as Partial<CliError>).exitCode === 'number' && 'code' in error;
}
