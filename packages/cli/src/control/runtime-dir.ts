import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliError } from '../errors.ts';

/** A control socket's file name: `<name>.sock`. */
export const SOCKET_SUFFIX = '.sock';
/** The longest path a Unix socket may have (sun_path, with its terminating zero). */
const MAX_SOCKET_PATH = 107;

/**
 * The folder of this user's control sockets: `$XDG_RUNTIME_DIR/cluster` (the runtime folder that the
 * session manager made for this user alone), else `<os temp dir>/cluster-<uid>`. Made with mode 0700; one
 * that exists must belong to this user and be open to nobody else, or the sockets in it could be someone
 * else's.
 */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_RUNTIME_DIR;
  const uid = process.getuid?.() ?? 0;
  return xdg !== undefined && xdg !== '' ? join(xdg, 'cluster') : join(tmpdir(), `cluster-${uid}`);
}

/** Makes the runtime folder if needed, and checks that it is this user's alone. */
export function ensureRuntimeDir(dir: string = runtimeDir()): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) {
    throw cliError('ERR_CLUSTER_RUNTIME_DIR_UNSAFE', `${dir} is not a folder of this user's`, {
      hint: 'Remove it, or set XDG_RUNTIME_DIR to a folder of your own.',
    });
  }
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/** The control socket of the instance `name`. */
export function socketPath(name: string, dir: string = runtimeDir()): string {
  const path = join(dir, `${name}${SOCKET_SUFFIX}`);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw cliError(
      'ERR_CLUSTER_RUNTIME_DIR_UNSAFE',
      `the control socket's path is too long for a Unix socket: ${path}`,
      {
        hint: 'Choose a shorter --name, or set XDG_RUNTIME_DIR to a shorter folder.',
      },
    );
  }
  return path;
}

/** The names of the instances that have a socket in the runtime folder (live or stale). */
export function socketNames(dir: string = runtimeDir()): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith(SOCKET_SUFFIX))
    .map((entry) => entry.slice(0, -SOCKET_SUFFIX.length))
    .sort();
}
