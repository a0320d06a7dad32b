import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU counters (USER_HZ; 100 on Linux everywhere that matters). */
export const TICKS_PER_SECOND = 100;

export interface CpuTimes {
  /** utime + stime, in microseconds. */
  self: number;
  /** cutime + cstime (reaped descendants), in microseconds. */
  children: number;
}

function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const TICK_US = 1e6 / TICKS_PER_SECOND;

/** CPU time of one process from /proc/<pid>/stat, or `undefined` once it is gone. */
export function cpuOf(pid: number | 'self'): CpuTimes | undefined {
  const f = statFields(pid);
  if (f === undefined) return undefined;
  // man 5 proc: utime(14) stime(15) cutime(16) cstime(17); f[0] is field 3.
  return {
    self: (Number(f[11]) + Number(f[12])) * TICK_US,
    children: (Number(f[13]) + Number(f[14])) * TICK_US,
  };
}

/** Everything this harness and its reaped descendants have used, in microseconds. */
export function harnessCpu(): number {
  const cpu = cpuOf('self');
  return cpu === undefined ? 0 : cpu.self + cpu.children;
}

/** Busy time of the whole machine from /proc/stat, in microseconds (all cores summed). */
export function machineBusy(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * TICK_US;
}

export function isAlive(pid: number): boolean {
  const f = statFields(pid);
  return f !== undefined && f[0] !== 'Z' && f[0] !== 'X';
}

export function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export const hasTaskset = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');

/** Every process the harness started and has not seen exit, so that a crash still stops them by pid. */
const started = new Set<Started>();

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Pin to these CPUs with taskset (`'0'`, `'1'`); children inherit the affinity. */
  cpus?: string;
  /** Kill (by pid) after this many ms. */
  timeout: number;
}

export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly lines: string[];
  readonly stderr: string[];
  /** Other pids to stop with this one (workers reported by a fixture). */
  readonly related: Set<number>;
  /** The first stdout line that parses as JSON and passes `test`. */
  json<T>(test: (value: Record<string, unknown>) => boolean, timeout: number): Promise<T>;
  /** Resolves with the exit code once the process has exited and been reaped. */
  readonly exited: Promise<number | null>;
}

/** Spawns a command (pinned with taskset if asked) and tracks its pid. */
export function start(command: string, args: string[], options: StartOptions): Started {
  const [file, argv] =
    options.cpus !== undefined && hasTaskset ? ['taskset', ['-c', options.cpus, command, ...args]] : [command, args];
  // taskset execs the command, so the pid is the command's.
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`Could not start ${command}`);
  const lines: string[] = [];
  const stderr: string[] = [];
  const wakers = new Set<() => void>();
  const split = (stream: NodeJS.ReadableStream | null, into: string[]) => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      into.push(...parts);
      for (const wake of wakers) wake();
    });
    stream?.on('end', () => {
      if (rest !== '') into.push(rest);
      for (const wake of wakers) wake();
    });
  };
  split(child.stdout, lines);
  split(child.stderr, stderr);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const self: Started = {
    child,
    pid: child.pid,
    lines,
    stderr,
    related: new Set(),
    exited,
    json<T>(test: (value: Record<string, unknown>) => boolean, timeout: number) {
      return new Promise<T>((resolve, reject) => {
        let seen = 0;
        let done = false;
        const finish = () => {
          done = true;
          wakers.delete(check);
          clearTimeout(timer);
        };
        const check = () => {
          for (; seen < lines.length; seen++) {
            const line = (lines[seen] as string).trim();
            if (!line.startsWith('{')) continue;
            try {
              const value = JSON.parse(line) as Record<string, unknown>;
              if (test(value)) {
                finish();
                resolve(value as T);
                return;
              }
            } catch {
              // Not ours.
            }
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${command} ${args.join(' ')}: no result within ${timeout} ms\n${stderr.join('\n')}`));
        }, timeout);
        wakers.add(check);
        exited.then(() => {
          check();
          if (!done) {
            finish();
            reject(new Error(`${command} ${args.join(' ')} exited without a result\n${stderr.join('\n')}`));
          }
        });
        check();
      });
    },
  };
  started.add(self);
  const killer = setTimeout(() => void stop(self, 0), options.timeout);
  exited.then(() => {
    clearTimeout(killer);
    started.delete(self);
  });
  return self;
}

/**
 * Stops a process and the pids related to it: SIGTERM to the process, then after `grace` ms SIGKILL to
 * each pid still alive. Never by name, never by group.
 */
export async function stop(proc: Started, grace = 5000): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Gone.
    }
  };
  if (grace > 0) {
    signal(proc.pid, 'SIGTERM');
    await within(proc.exited, grace);
  }
  for (const pid of [proc.pid, ...proc.related]) if (isAlive(pid)) signal(pid, 'SIGKILL');
  await proc.exited;
}

/** Stops everything still running (on error or interrupt). */
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((proc) => stop(proc, 1000)));
}

/** Waits for `promise`, but no longer than `ms`; resolves `undefined` on timeout. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
