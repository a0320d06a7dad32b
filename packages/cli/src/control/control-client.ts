import { unlinkSync } from 'node:fs';
import net from 'node:net';
import { cliError } from '../errors.ts';
import { LineSplitter } from '../run/line-splitter.ts';
import type { ControlReply, ControlRequestBody } from './protocol.ts';
import { socketNames, socketPath } from './runtime-dir.ts';

/** How long a command waits to connect; a live instance answers at once. */
export const CONNECT_TIMEOUT_MS = 2_000;

/** What probing a socket found. */
export type Probe = { state: 'live'; socket: net.Socket } | { state: 'stale' } | { state: 'missing' };

/**
 * Connects to a control socket. A socket file that refuses connections is stale: its instance died
 * without removing it (SIGKILL, a crash, a reboot).
 */
export function probe(path: string): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = net.connect(path);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ state: 'stale' });
    }, CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve({ state: 'live', socket });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ state: error.code === 'ENOENT' ? 'missing' : 'stale' });
    });
  });
}

/** Removes a stale socket file; says whether there was one to remove. */
export function removeStale(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Sends one request on a connected socket and resolves with the reply's result; progress lines go to `onProgress`. */
export function send(
  socket: net.Socket,
  request: ControlRequestBody,
  onProgress: (event: unknown) => void = () => {},
): Promise<unknown> {
  const id = 1;
  return new Promise((resolve, reject) => {
    let settled = false;
    const lines = new LineSplitter((line) => {
      if (settled || line.trim() === '') return;
      let reply: ControlReply;
      try {
        reply = JSON.parse(line) as ControlReply;
      } catch {
        return;
      }
      if ('progress' in reply) {
        onProgress(reply.progress);
        return;
      }
      settled = true;
      socket.end();
      if (reply.ok) resolve(reply.result);
      else {
        const cause = reply.error.cause === undefined ? '' : ` (${reply.error.cause})`;
        reject(
          Object.assign(cliError('ERR_CLUSTER_CONTROL_FAILED', `${reply.error.message}${cause}`), {
            code: reply.error.code,
            remoteCause: reply.error.cause,
          }),
        );
      }
    });
    socket.on('data', (chunk: Buffer) => lines.write(chunk));
    socket.on('error', () => {});
    socket.once('close', () => {
      lines.end();
      if (!settled) {
        settled = true;
        reject(cliError('ERR_CLUSTER_CONTROL_FAILED', 'the instance closed the connection before it answered'));
      }
    });
    socket.write(`${JSON.stringify({ v: 1, id, ...request })}\n`);
  });
}

/** A live instance found by name, connected; stale sockets found on the way are removed and reported. */
export interface Connection {
  readonly name: string;
  readonly socket: net.Socket;
}

/**
 * Finds the instance a control command is for: `name`, or the only one running. Reports each stale
 * socket it removes through `onStale`.
 */
export async function connect(name: string | undefined, onStale: (name: string) => void): Promise<Connection> {
  if (name !== undefined) {
    const path = socketPath(name);
    const found = await probe(path);
    if (found.state === 'live') return { name, socket: found.socket };
    if (found.state === 'stale' && removeStale(path)) onStale(name);
    const others = await liveInstances(onStale);
    for (const other of others) other.socket.destroy();
    throw notRunning(
      name,
      others.map((other) => other.name),
    );
  }
  const live = await liveInstances(onStale);
  if (live.length === 1) return live[0] as Connection;
  for (const instance of live) instance.socket.destroy();
  if (live.length === 0) throw notRunning(undefined, []);
  throw cliError(
    'ERR_CLUSTER_INSTANCE_AMBIGUOUS',
    `${live.length} instances are running: ${live.map((i) => i.name).join(', ')}`,
    {
      hint: 'Name one: cluster status <name>.',
    },
  );
}

/** Every live instance, connected (the caller ends the sockets); stale sockets are removed. */
export async function liveInstances(onStale: (name: string) => void): Promise<Connection[]> {
  const found = await Promise.all(socketNames().map(async (name) => ({ name, probe: await probe(socketPath(name)) })));
  const live: Connection[] = [];
  for (const { name, probe: result } of found) {
    if (result.state === 'live') live.push({ name, socket: result.socket });
    else if (result.state === 'stale' && removeStale(socketPath(name))) onStale(name);
  }
  return live;
}

function notRunning(name: string | undefined, others: string[]) {
  const running = others.length === 0 ? 'No instance is running.' : `Running: ${others.join(', ')}.`;
  return cliError(
    'ERR_CLUSTER_INSTANCE_NOT_FOUND',
    name === undefined ? 'no instance is running' : `no instance named "${name}" is running`,
    { hint: name === undefined ? "Start one with 'cluster run app.js'." : running },
  );
}
