import { type ChildProcess, fork, type Serializable } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Api, type Channel, type ChannelOptions, createChannel } from '@cluster/ipc';

export const PEER = fileURLToPath(new URL('./fixtures/peer.mjs', import.meta.url));

const children = new Set<ChildProcess>();

export interface PeerOptions extends ChannelOptions {
  serialization?: 'json' | 'advanced';
  /** Install `guardUserSend` in the child. */
  guard?: boolean;
  fixture?: string;
}

export interface Peer {
  child: ChildProcess;
  channel: Channel<Api, Api>;
  pid: number;
  /** What the child printed, line by line. */
  lines: string[];
  waitForLine(test: (line: string) => boolean, ms?: number): Promise<string>;
}

const READY_TIMEOUT_MS = 15_000;

/** Forks a plain child running the peer fixture and resolves once its channel is listening. */
export async function forkPeer(options: PeerOptions = {}): Promise<Peer> {
  const child = fork(options.fixture ?? PEER, [], {
    serialization: options.serialization ?? 'json',
    env: { ...process.env, PEER_GUARD: options.guard ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const lines: string[] = [];
  let rest = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
    child.emit('line');
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const channel = createChannel<Api, Api>(child, options);
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The peer never said ready')), READY_TIMEOUT_MS);
    channel.handle('ready', ({ pid }: { pid: number }) => {
      clearTimeout(timer);
      resolve(pid);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The peer exited before ready (${code ?? signal})`));
    });
  });
  const waitForLine = (test: (line: string) => boolean, ms = READY_TIMEOUT_MS): Promise<string> =>
    within(
      new Promise<string>((resolve) => {
        const check = () => {
          const line = lines.find(test);
          if (line === undefined) return;
          child.off('line', check);
          resolve(line);
        };
        child.on('line', check);
        check();
      }),
      ms,
      'matching line',
    );
  return { child, channel, pid: await ready, lines, waitForLine };
}

/** Kills every peer still running; call it from `afterEach`. */
export function killPeers(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

/** Waits for an event with a bounded timeout. */
export async function within<T>(promise: Promise<T>, ms = 10_000, what = 'event'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects the user messages an endpoint emits. */
export function collectMessages(child: ChildProcess): Serializable[] {
  const seen: Serializable[] = [];
  child.on('message', (message) => seen.push(message));
  return seen;
}

export { once };
