import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpuOf, type Started, start, stop } from './proc.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const fixture = (name: string) => `${FIXTURES}${name}`;

/** The core the load generator is pinned to; the servers float over all cores. */
export const LOAD_CPU = '1';

/** wrk's path; `BENCH_WRK=none` runs as if it were not installed. */
export const WRK =
  process.env.BENCH_WRK === 'none'
    ? undefined
    : [process.env.BENCH_WRK, '/usr/bin/wrk', '/usr/local/bin/wrk'].find(
        (path) => path !== undefined && path !== '' && existsSync(path),
      );
export const WRK_MISSING = 'wrk is not installed (Debian: `apt-get update && apt-get install -y wrk`)';

export interface ServerConfig {
  impl: string;
  kind: 'http' | 'tcp' | 'skew' | 'latency';
  workers: number;
  /** NODE_CLUSTER_SCHED_POLICY: `rr`, `none`, or a policy name (ours only). */
  policy?: string;
  /** More environment for the fixture (e.g. the latency scenario's costs). */
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  proc: Started;
  port: number;
  primary: number;
  workers: number[];
}

const READY_TIMEOUT_MS = 30_000;

export async function startServer(config: ServerConfig, timeout: number): Promise<RunningServer> {
  return startFixtureServer(
    'server.mjs',
    {
      BENCH_IMPL: config.impl,
      BENCH_KIND: config.kind,
      BENCH_WORKERS: String(config.workers),
      NODE_CLUSTER_SCHED_POLICY: config.policy ?? 'rr',
      ...config.env,
    },
    timeout,
  );
}

/**
 * Starts a fixture primary (pinned to `cpus`, its workers with it, if given) and waits for its ready
 * line (port, primary pid, worker pids, and whatever else the fixture says there: `TExtra`).
 */
export async function startFixtureServer<TExtra extends object = object>(
  name: string,
  env: NodeJS.ProcessEnv,
  timeout: number,
  cpus?: string,
): Promise<RunningServer & TExtra> {
  const proc = start(process.execPath, [fixture(name)], { env, timeout, ...(cpus === undefined ? {} : { cpus }) });
  try {
    const ready = await proc.json<{ port: number; primary: number; workers: number[] } & TExtra>(
      (v) => v.ready === true,
      READY_TIMEOUT_MS,
    );
    for (const pid of ready.workers) proc.related.add(pid);
    return { proc, ...ready };
  } catch (error) {
    await stop(proc, 1000);
    throw error;
  }
}

/** CPU (µs) used so far by the primary and by all workers together. */
export function serverCpu(server: RunningServer): { primary: number; workers: number } {
  const primary = cpuOf(server.primary)?.self ?? Number.NaN;
  let workers = 0;
  for (const pid of server.workers) workers += cpuOf(pid)?.self ?? Number.NaN;
  return { primary, workers };
}

export interface WrkResult {
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const UNIT_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1e3, m: 6e4 };

function latencyMs(text: string, label: string): number {
  const match = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
  return match ? Number(match[1]) * (UNIT_MS[match[2] as string] ?? Number.NaN) : Number.NaN;
}

export function parseWrk(text: string): WrkResult {
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? Number.NaN);
  const requestsPerSec = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? Number.NaN);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const errors = (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + non2xx;
  return { requests, requestsPerSec, p50Ms: latencyMs(text, '50%'), p99Ms: latencyMs(text, '99%'), errors };
}

export interface WrkOptions {
  port: number;
  durationS: number;
  connections: number;
  close: boolean;
  script?: string;
  /** The CPUs to pin wrk to; default `LOAD_CPU`. */
  cpus?: string;
}

/** Runs wrk pinned to the load core (or `cpus`); one thread so that it fits its core. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  if (WRK === undefined) throw new Error(WRK_MISSING);
  const args = ['-t1', `-c${options.connections}`, `-d${options.durationS}s`, '--latency', '--timeout', '5s'];
  if (options.close) args.push('-H', 'Connection: close');
  if (options.script !== undefined) args.push('-s', options.script);
  args.push(`http://127.0.0.1:${options.port}/`);
  const proc = start(WRK, args, { cpus: options.cpus ?? LOAD_CPU, timeout: (options.durationS + 15) * 1000 });
  const code = await proc.exited;
  const text = proc.lines.join('\n');
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${text}\n${proc.stderr.join('\n')}`);
  return parseWrk(text);
}
