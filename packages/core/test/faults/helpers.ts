import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Impl, type RunningScript, runScript, type TraceEvent } from '@cluster/test-utils';

/** A fixture of the fault suite. */
export const faultFixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/faults/${name}`, import.meta.url));

const TRACE = 'TRACE ';

/** The trace events a script printed so far, named `event`. */
export function tracesOf(script: RunningScript, event: string): TraceEvent[] {
  return script.stdout
    .filter((line) => line.startsWith(TRACE))
    .map((line) => JSON.parse(line.slice(TRACE.length)) as TraceEvent)
    .filter((entry) => entry.event === event);
}

/** Waits for the first trace event named `event` (bounded). */
export async function nextTrace(script: RunningScript, event: string, timeout?: number): Promise<TraceEvent> {
  const line = await script.waitForLine((text) => text.startsWith(`${TRACE}{"event":"${event}"`), timeout);
  return JSON.parse(line.slice(TRACE.length)) as TraceEvent;
}

export interface Ready {
  port: number;
  control: number;
  pid: number;
  workers: number[];
}

/** Starts the fault cluster fixture on one implementation and waits until its workers listen. */
export async function startCluster(
  impl: Impl,
  env: NodeJS.ProcessEnv = {},
  options: { timeout?: number; execArgv?: string[]; fixture?: string } = {},
): Promise<{ script: RunningScript; ready: Ready }> {
  const script = runScript(faultFixture(options.fixture ?? 'cluster.mjs'), {
    env: { ...env, CLUSTER_IMPL: impl },
    execArgv: options.execArgv,
    timeout: options.timeout ?? 120_000,
  });
  const ready = (await nextTrace(script, 'ready', 30_000)) as unknown as Ready;
  return { script, ready };
}

/** Runs `body`; if it fails, the error says what the script printed on stderr (a primary that died says why). */
export async function explained<T>(script: RunningScript, impl: Impl, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const tail = script.stderr.slice(-40).join('\n');
    throw new Error(
      `${impl}: ${(error as Error).message}; exit ${script.child.exitCode ?? script.child.signalCode}; stderr:\n${tail}`,
      {
        cause: error,
      },
    );
  }
}

/** Asks the fixture's control server; resolves with its JSON answer. */
export function control<T>(port: number, path: string, timeout = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(JSON.parse(body) as T));
    });
    req.on('timeout', () => req.destroy(new Error(`control ${path}: no answer within ${timeout} ms`)));
    req.on('error', reject);
  });
}

/** How one request ended: its body, an error (reset, refused), or no answer at all within the timeout. */
export type Outcome = { ok: string } | { error: string } | { hung: true };

/** One HTTP GET on a fresh connection. */
export function get(port: number, path = '/', timeout = 10_000): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => settle({ ok: body }));
      res.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    const timer = setTimeout(() => {
      settle({ hung: true });
      req.destroy();
    }, timeout);
  });
}

export interface LoadResult {
  ok: number;
  errors: number;
  hung: number;
  /** Answers per worker id (the first word of each body). */
  byWorker: Record<string, number>;
  /** What the errors were (`ECONNRESET`, ...), counted. */
  errorCodes: Record<string, number>;
}

/** `total` GETs (and more until `until` settles), `concurrency` at a time, each on its own connection. */
export async function load(
  port: number,
  total: number,
  options: { concurrency?: number; timeout?: number; onAnswer?: (done: number) => void; until?: Promise<void> } = {},
): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, errors: 0, hung: 0, byWorker: {}, errorCodes: {} };
  let started = 0;
  let done = 0;
  let waiting = options.until !== undefined;
  options.until?.then(() => {
    waiting = false;
  });
  const lane = async () => {
    while (started < total || waiting) {
      started++;
      count(result, await get(port, '/', options.timeout));
      done++;
      options.onAnswer?.(done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, lane));
  return result;
}

/**
 * `total` GETs started at a fixed `rate` per second, whatever happens to the ones before (an open
 * loop: a request that hangs does not slow the load down, so two runs offer the same load).
 */
export async function steadyLoad(
  port: number,
  total: number,
  { rate, timeout, onStarted }: { rate: number; timeout: number; onStarted?: () => void },
): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, errors: 0, hung: 0, byWorker: {}, errorCodes: {} };
  const outcomes: Array<Promise<void>> = [];
  const start = Date.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((Date.now() - start) * rate) / 1000));
      while (outcomes.length < due) outcomes.push(get(port, '/', timeout).then((outcome) => count(result, outcome)));
      if (outcomes.length >= total) resolve();
      else setTimeout(tick, 5);
    };
    tick();
  });
  onStarted?.();
  await Promise.all(outcomes);
  return result;
}

function count(result: LoadResult, outcome: Outcome): void {
  if ('ok' in outcome) {
    result.ok++;
    const worker = outcome.ok.split(' ')[0] as string;
    result.byWorker[worker] = (result.byWorker[worker] ?? 0) + 1;
  } else if ('error' in outcome) {
    result.errors++;
    result.errorCodes[outcome.error] = (result.errorCodes[outcome.error] ?? 0) + 1;
  } else {
    result.hung++;
  }
}

/** `total` raw TCP connections, `concurrency` at a time; each reads until the server closes. */
export async function connections(
  port: number,
  total: number,
  concurrency = 32,
): Promise<{ ok: number; failed: number }> {
  const result = { ok: 0, failed: 0 };
  let started = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let got = '';
      socket.setEncoding('utf8');
      socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
      socket.on('data', (chunk: string) => {
        got += chunk;
      });
      socket.on('close', () => {
        if (got.endsWith('\n')) result.ok++;
        else result.failed++;
        resolve();
      });
      socket.on('error', () => {});
    });
  const lane = async () => {
    while (started < total) {
      started++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return result;
}

/** Whether a process exists and is not a zombie (Linux). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Open file descriptors of a process (Linux). */
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** CPU time a process used so far, in clock ticks (utime + stime, from /proc). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of /proc/<pid>/stat; the slice starts at field 3.
  return Number(fields[11]) + Number(fields[12]);
}

/** Linux's USER_HZ: what /proc counts CPU time in. */
const TICKS_PER_SECOND = 100;

/**
 * The share of one core a process used over a window of `windowMs`, as the lowest of up to
 * `windows` windows: a process that spins never has an idle window, however loaded the machine
 * is, while an idle one shows one as soon as it is idle. Stops at the first window below `idle`.
 */
export async function lowestCpuShare(
  pid: number,
  { windowMs = 500, windows = 6, idle = 0.05 }: { windowMs?: number; windows?: number; idle?: number } = {},
): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < windows; i++) {
    const ticks = cpuTicks(pid);
    const start = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    const share = ((cpuTicks(pid) - ticks) * (1000 / TICKS_PER_SECOND)) / elapsedMs;
    lowest = Math.min(lowest, share);
    if (lowest < idle) break;
  }
  return lowest;
}

/** Polls `check` until it returns true, or gives up after `timeout` ms. */
export async function eventually(check: () => boolean, timeout = 10_000, every = 50): Promise<boolean> {
  const until = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  return true;
}
