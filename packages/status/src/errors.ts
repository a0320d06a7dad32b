import { createError } from '@cluster/errors';

/** Codes of the errors this package throws. */
export type StatusErrorCode = 'ERR_CLUSTER_STATUS_LISTEN_FAILED' | 'ERR_CLUSTER_STATUS_NO_METRICS';

/** An error of the status server, with a stable `code`. */
export function statusError(
  code: StatusErrorCode,
  message: string,
  cause?: unknown,
): Error & { code: StatusErrorCode } {
  return createError(Error, code, message, cause === undefined ? undefined : { cause }) as Error & {
    code: StatusErrorCode;
  };
}
