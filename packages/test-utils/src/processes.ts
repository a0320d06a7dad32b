import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Every process group started through `runScript`, so `killAll()` can end them after a test. */
const running = new Set<ChildProcess>();

export interface RunOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  execArgv?: string[];
  /** Give up (and kill the whole group) after this many ms. Default 15 000. */
  timeout?: number;
}

/** A script running in its own process group, with its output collected line by line. */
export interface RunningScript {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the first stdout line that passes `test`, or rejects after `timeout` ms. */
  waitForLine(test: (line: string) => boolean, timeout?: number): Promise<string>;
  /**
   * Resolves when the script exits; rejects if it outlives `timeout`. The script is not killed before
   * `timeout` has passed, even if that is later than `RunOptions.timeout`.
   */
  exited(timeout?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the script and every process it started. */
  kill(signal?: NodeJS.Signals): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** How long `exited()` waits, after 'exit', for the rest of a script's output. */
const DRAIN_TIMEOUT_MS = 2_000;

/** Starts `node [execArgv] file [args]` detached, so that its workers share its process group. */
export function runScript(file: string, options: RunOptions = {}): RunningScript {
  const child = spawn(process.execPath, [...(options.execArgv ?? []), file, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const lineWaiters = new Set<() => void>();
  const collect = (stream: NodeJS.ReadableStream | null, into: string[]) => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      into.push(...lines);
      for (const wake of lineWaiters) wake();
    });
  };
  collect(child.stdout, stdout);
  collect(child.stderr, stderr);
  const done = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const drained = Promise.all(
    [child.stdout, child.stderr].map((stream) => stream && once(stream, 'end').catch(() => {})),
  );
  // The group is killed at `killAt`; `exited(timeout)` moves it later, never earlier, so a caller that
  // waits longer than the default is not answered by a SIGKILL it did not ask for.
  let killAt = 0;
  let killer: NodeJS.Timeout | undefined;
  const killNoSoonerThan = (ms: number) => {
    if (Date.now() + ms <= killAt) return;
    killAt = Date.now() + ms;
    clearTimeout(killer);
    killer = setTimeout(() => killGroup(child, 'SIGKILL'), ms);
    killer.unref();
  };
  killNoSoonerThan(options.timeout ?? DEFAULT_TIMEOUT_MS);
  let exitedYet = false;
  done.then(() => {
    exitedYet = true;
    clearTimeout(killer);
    running.delete(child);
  });

  const describe = () => `stdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`;

  return {
    child,
    stdout,
    stderr,
    waitForLine(test, timeout = DEFAULT_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < stdout.length; seen++) {
            const line = stdout[seen] as string;
            if (test(line)) {
              finish();
              resolve(line);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`No matching line within ${timeout} ms\n${describe()}`));
        }, timeout);
        const onExit = () => {
          check();
          finish();
          reject(new Error(`Script exited before a matching line\n${describe()}`));
        };
        const finish = () => {
          clearTimeout(timer);
          lineWaiters.delete(check);
          child.off('exit', onExit);
        };
        lineWaiters.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    exited(timeout = DEFAULT_TIMEOUT_MS) {
      if (!exitedYet) killNoSoonerThan(timeout);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Script still running after ${timeout} ms\n${describe()}`)),
          timeout,
        );
        done.then(async ([code, signal]) => {
          clearTimeout(timer);
          // 'exit' can come before the last lines the process wrote have been read: wait for the
          // end of its output (bounded, since a worker it left behind would hold the pipe open).
          await Promise.race([drained, new Promise((wake) => setTimeout(wake, DRAIN_TIMEOUT_MS).unref())]);
          resolve({ code, signal });
        });
      });
    },
    kill(signal = 'SIGKILL') {
      killGroup(child, signal);
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Kills every script (and its workers) still running; call it from `afterEach`. */
export function killAll(): void {
  for (const child of running) killGroup(child, 'SIGKILL');
  running.clear();
}

// A test process stopped from outside (the runner interrupted, turbo ending a failed run) never gets
// to its afterEach: end the detached groups on the way out all the same.
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/** Process ids of live processes in a process group, read from /proc (Linux). */
export async function groupMembers(pgid: number): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const members: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return members;
}
