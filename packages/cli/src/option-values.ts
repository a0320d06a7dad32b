import { parseMemorySize } from '@cluster/supervisor';
import { parseDuration } from './duration.ts';

/** Thrown by a value parser: what was expected instead. */
export class Expected extends Error {
  constructor(readonly expected: string) {
    super(expected);
  }
}

/** `"a"` or `a`: how a value is shown back in an error. */
export function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}

export function text(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new Expected('a non-empty string');
  return value;
}

export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: unknown): T => {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    throw new Expected(`one of ${choices.map((choice) => `'${choice}'`).join(', ')}`);
  };
}

export function integer(min: number, max: number) {
  return (value: unknown): number => {
    const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
      throw new Expected(`a whole number from ${min} to ${max}`);
    }
    return number;
  };
}

export function duration(value: unknown): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new Expected("a duration: milliseconds, or a number with ms, s, m or h ('30s')");
  return ms;
}

export function size(value: unknown): number {
  const bytes = typeof value === 'number' || typeof value === 'string' ? parseMemorySize(value) : undefined;
  if (bytes === undefined || bytes <= 0) throw new Expected("a size: bytes, or a number with K, M or G ('512M')");
  return bytes;
}

export function workerCount(value: unknown): number | 'max' {
  if (value === 'max') return value;
  try {
    return integer(0, 1024)(value);
  } catch {
    throw new Expected("a whole number from 0 to 1024, or 'max'");
  }
}

export function boolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Expected('true or false');
}

/** A heartbeat interval; `0`, `'off'` or `false` for none. */
export function heartbeat(value: unknown): number | false {
  if (value === false || value === 'off' || value === 0 || value === '0') return false;
  try {
    return duration(value);
  } catch {
    throw new Expected("a duration ('1s'), or 'off'");
  }
}

/** One path or a list of them. */
export function paths(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((entry) => typeof entry !== 'string' || entry === '')) {
    throw new Expected('a path, or a list of paths');
  }
  return list as string[];
}

/** Node flags: a string split at spaces, or a list of strings. */
export function nodeArgs(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((arg) => arg !== '');
  if (Array.isArray(value) && value.every((arg) => typeof arg === 'string')) return value as string[];
  throw new Expected("Node flags: a string ('--max-old-space-size=512 --enable-source-maps') or a list of strings");
}

export function stringList(value: unknown): string[] {
  if (Array.isArray(value) && value.every((arg) => typeof arg === 'string')) return value as string[];
  throw new Expected('a list of strings');
}

/** `{ KEY: 'value' }`: names without `=`, values as strings (numbers and booleans are written as text). */
export function environment(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Expected('an object of variables');
  const env: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key === '' || key.includes('=') || !['string', 'number', 'boolean'].includes(typeof entry)) {
      throw new Expected('an object of variables, each a string, number or boolean');
    }
    env[key] = String(entry);
  }
  return env;
}

/** Where to listen. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** `[host:]port`: `8080`, `0.0.0.0:8080`, `[::1]:8080`; the host is 127.0.0.1 unless given. */
export function listenAddress(value: unknown): ListenAddress {
  const raw = typeof value === 'number' ? String(value) : value;
  const expected = new Expected('[host:]port, such as 9090 or 0.0.0.0:9090 (port 0 to 65535)');
  if (typeof raw !== 'string') throw expected;
  const match = /^(?:(?:\[([^\]]+)\]|([^:[\]]+)):)?(\d+)$/.exec(raw.trim());
  if (match === null) throw expected;
  const port = Number(match[3]);
  if (port > 65_535) throw expected;
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

/** An instance name: it becomes a socket file's name. */
export function instanceName(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value)) {
    throw new Expected(
      'a name of letters, digits, dots, dashes and underscores (64 at most), starting with a letter or digit',
    );
  }
  return value;
}
