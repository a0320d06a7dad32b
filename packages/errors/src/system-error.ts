import { getSystemErrorName } from 'node:util';

/** The shape Node gives errors from a failed system call, e.g. `listen EADDRINUSE: address already in use`. */
export interface SystemError extends Error {
  errno: number;
  code: string;
  syscall: string;
  address?: string;
  port?: number;
}

/**
 * Builds the error a server emits when binding fails, as Node's
 * `ExceptionWithHostPort` does: `bind EADDRINUSE 127.0.0.1:8000`.
 */
export function createSystemError(
  errno: number,
  syscall: string,
  address?: string | null,
  port?: number | null,
): SystemError {
  let code: string;
  try {
    code = getSystemErrorName(errno);
  } catch {
    code = `Unknown system error ${errno}`;
  }
  let details = '';
  if (port != null && port > 0) details = ` ${address}:${port}`;
  else if (address) details = ` ${address}`;
  const error = new Error(`${syscall} ${code}${details}`) as SystemError;
  error.errno = errno;
  error.code = code;
  error.syscall = syscall;
  if (address) error.address = address;
  if (port != null && port > 0) error.port = port;
  return error;
}
