import { inspect } from 'node:util';

type ErrorConstructorLike = new (message?: string, options?: ErrorOptions) => Error;

/** An Error (or TypeError, RangeError) carrying a stable `code`, the way Node's own errors do. */
export type CodedError<TCode extends string = string> = Error & { code: TCode };

/** Builds a built-in error instance with a `code`; the name shows the code as Node prints it. */
export function createError<TCode extends string>(
  Base: ErrorConstructorLike,
  code: TCode,
  message: string,
  options?: ErrorOptions,
): CodedError<TCode> {
  const error = new Base(message, options) as CodedError<TCode>;
  Object.defineProperty(error, 'code', {
    value: code,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  // Node prints `TypeError [ERR_X]: ...` in stack traces.
  if (typeof error.stack === 'string') {
    error.stack = error.stack.replace(/^([A-Za-z]*Error)/, `$1 [${code}]`);
  }
  return error;
}

function describeReceived(value: unknown): string {
  if (value == null) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return name ? ` Received an instance of ${name}` : ` Received ${inspect(value, { depth: -1 })}`;
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

/** `ERR_INVALID_ARG_TYPE`, worded as Node words it. */
export function invalidArgType(name: string, expected: string, actual: unknown): CodedError<'ERR_INVALID_ARG_TYPE'> {
  const kind = name.includes('.') ? 'property' : 'argument';
  return createError(
    TypeError,
    'ERR_INVALID_ARG_TYPE',
    `The "${name}" ${kind} must be ${expected}.${describeReceived(actual)}`,
  );
}

/** `ERR_INVALID_ARG_VALUE`, worded as Node words it. */
export function invalidArgValue(
  name: string,
  value: unknown,
  reason = 'is invalid',
): CodedError<'ERR_INVALID_ARG_VALUE'> {
  const kind = name.includes('.') ? 'property' : 'argument';
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  return createError(TypeError, 'ERR_INVALID_ARG_VALUE', `The ${kind} '${name}' ${reason}. Received ${shown}`);
}

/** `ERR_OUT_OF_RANGE`, worded as Node words it. */
export function outOfRange(name: string, range: string, value: unknown): CodedError<'ERR_OUT_OF_RANGE'> {
  return createError(
    RangeError,
    'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. It must be ${range}. Received ${inspect(value)}`,
  );
}
