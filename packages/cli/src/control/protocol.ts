/**
 * The control socket's protocol: newline-delimited JSON, one request per line from the client; any number
 * of `progress` lines, then one reply line, from the instance, matched by `id`. Version 1.
 */
export const PROTOCOL_VERSION = 1;
/** A request line longer than this is refused and the connection closed. */
export const MAX_REQUEST_BYTES = 16 * 1024;
/** Commands a client may send. */
export const COMMANDS = ['status', 'reload', 'scale', 'stop'] as const;

export type ControlCommand = (typeof COMMANDS)[number];

/** `scale`'s target: a count, `'max'`, or a change (`'+2'`, `'-1'`). */
export type ScaleTarget = number | 'max' | `+${number}` | `-${number}`;

/** What a request asks, without its envelope. */
export type ControlRequestBody = { cmd: 'status' | 'reload' | 'stop' } | { cmd: 'scale'; workers: ScaleTarget };

export type ControlRequest = { v: 1; id: number } & ControlRequestBody;

export interface ControlError {
  code: string;
  message: string;
  /** The code of the error's cause, if it had one (`ERR_CLUSTER_WORKER_EXITED` under a failed reload). */
  cause?: string;
}

export type ControlReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ControlError }
  | { id: number; progress: unknown };

/** Why a request was refused, before anything was done. */
export class BadRequest extends Error {
  readonly code = 'ERR_CLUSTER_BAD_REQUEST';
}

const SCALE_TARGET = /^[+-]\d{1,4}$/;

/** Checks one request line: JSON, version 1, a known command, exactly the fields it takes. */
export function parseRequest(line: string): ControlRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BadRequest('a request is one line of JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new BadRequest('a request is a JSON object');
  const request = value as Record<string, unknown>;
  if (request.v !== PROTOCOL_VERSION)
    throw new BadRequest(`this instance speaks version ${PROTOCOL_VERSION} of the protocol`);
  if (typeof request.id !== 'number' || !Number.isSafeInteger(request.id) || request.id < 0) {
    throw new BadRequest('"id" must be a whole number');
  }
  if (typeof request.cmd !== 'string' || !(COMMANDS as readonly string[]).includes(request.cmd)) {
    throw new BadRequest(`"cmd" must be one of ${COMMANDS.join(', ')}`);
  }
  const allowed = request.cmd === 'scale' ? ['v', 'id', 'cmd', 'workers'] : ['v', 'id', 'cmd'];
  const extra = Object.keys(request).find((key) => !allowed.includes(key));
  if (extra !== undefined) throw new BadRequest(`"${request.cmd}" takes no "${extra}"`);
  if (request.cmd === 'scale') {
    const workers = request.workers;
    const valid =
      workers === 'max' ||
      (typeof workers === 'number' && Number.isInteger(workers) && workers >= 0 && workers <= 1024) ||
      (typeof workers === 'string' && SCALE_TARGET.test(workers));
    if (!valid) throw new BadRequest('"workers" must be a count from 0 to 1024, "max", or a change such as "+1"');
  }
  return request as ControlRequest;
}
