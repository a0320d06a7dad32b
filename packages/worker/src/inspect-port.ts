import { createError } from '@cluster/errors';

const MIN_PORT = 1024;
const MAX_PORT = 65535;
/** Node's test for "this process uses the inspector" (`internal/util/inspector`). */
const INSPECT_FLAG = /--inspect(?:-brk|-port)?|--debug-port/;

/** The `inspectPort` setting: a port, or a function returning one. */
export type InspectPortSetting = number | string | (() => unknown) | null | undefined;

/** `ERR_SOCKET_BAD_PORT`, as Node's `validatePort` throws it. */
export function badPort(value: unknown) {
  return createError(RangeError, 'ERR_SOCKET_BAD_PORT', `Port should be >= 0 and < 65536. Received ${String(value)}.`);
}

/** Node's `validatePort(port, 'Port', allowZero = true)`: a number or numeric string in 0..65535. */
export function validatePort(value: unknown): number {
  const valid =
    (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) &&
    +value === +value >>> 0 &&
    +value <= MAX_PORT;
  if (!valid) throw badPort(value);
  return +value | 0;
}

/**
 * Whether workers started with `execArgv` run an inspector, as Node decides it: an inspect flag in
 * `execArgv` or in the primary's `NODE_OPTIONS`. Reads `execArgv` with `Array.prototype.some`, as Node does.
 */
export function isUsingInspector(execArgv: ArrayLike<unknown>, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!process.features.inspector) return false;
  return (
    Array.prototype.some.call(execArgv, (arg: unknown) => INSPECT_FLAG.exec(String(arg)) !== null) ||
    INSPECT_FLAG.exec(String(env.NODE_OPTIONS)) !== null
  );
}

/**
 * Gives each worker its own inspector port (Node's `getInspectPort`): the setting's port, the function's
 * result, or by default the primary's `process.debugPort` plus one more for every worker, wrapping
 * past 65535 to 1024 so that no two workers of one primary clash.
 */
export class InspectPorts {
  #offset = 1;
  readonly #basePort: () => number;

  constructor(basePort: () => number = () => process.debugPort) {
    this.#basePort = basePort;
  }

  next(setting: InspectPortSetting): number {
    let port: unknown = setting;
    if (typeof setting === 'function') {
      port = setting();
    } else if (setting == null) {
      port = this.#basePort() + this.#offset;
      if ((port as number) > MAX_PORT) port = (port as number) - MAX_PORT + MIN_PORT - 1;
      this.#offset += 1;
    }
    return validatePort(port);
  }
}
