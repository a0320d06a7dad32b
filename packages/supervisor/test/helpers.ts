import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Impl, type RunningScript, runScript, type TraceEvent, tracesOf, waitForTrace } from '@cluster/test-utils';

/** Both clusters, for `describe.each`. */
export const IMPLS: Impl[] = ['ours', 'node'];

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A supervised primary (fixtures/primary.mjs), running. */
export interface Primary {
  readonly script: RunningScript;
  /** The port the workers share. */
  readonly port: number;
  /** Every trace line so far. */
  trace(): TraceEvent[];
  /** The first trace event named `event` that passes `test`, among those printed so far and later. */
  waitFor(event: string, test?: (entry: TraceEvent) => boolean, timeout?: number): Promise<TraceEvent>;
  signal(signal: NodeJS.Signals): void;
}

export interface PrimaryOptions {
  /** `supervise()`'s options. */
  options: Record<string, unknown>;
  /** The worker script (default fixtures/app.cjs). */
  app?: string;
  env?: Record<string, string>;
  /** How long the whole primary may run. */
  timeout?: number;
  /** Wait for this event instead of 'all-ready' before resolving. */
  until?: string;
}

/** Starts fixtures/primary.mjs on `impl` and waits until every slot is ready (or `until`). */
export async function startPrimary(impl: Impl, settings: PrimaryOptions): Promise<Primary> {
  const script = runScript(fixture('primary.mjs'), {
    env: {
      CLUSTER_IMPL: impl,
      SUPERVISE: JSON.stringify(settings.options),
      APP: settings.app ?? fixture('app.cjs'),
      ...settings.env,
    },
    timeout: settings.timeout ?? 60_000,
  });
  const trace = () => tracesOf(script);
  const waitFor = (event: string, test?: (entry: TraceEvent) => boolean, timeout = 20_000) =>
    waitForTrace(script, event, test, timeout);
  const first = await waitFor(settings.until ?? 'all-ready');
  return {
    script,
    port: Number(first.port ?? 0),
    trace,
    waitFor,
    signal: (signal) => script.child.kill(signal),
  };
}

/** A copy of an app fixture in a fresh folder, so that a test can put new code "on disk" under it. */
export function tempApp(name = 'app.cjs') {
  const dir = mkdtempSync(path.join(tmpdir(), 'cluster-supervisor-'));
  const file = path.join(dir, 'app.cjs');
  copyFileSync(fixture(name), file);
  return {
    file,
    /** Replaces the app's code with another fixture's. */
    deploy: (other: string) => copyFileSync(fixture(other), file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One HTTP answer: the worker's pid, or why the request failed. */
export interface Answer {
  pid?: number;
  slot?: string;
  body?: string;
  error?: string;
}

/** One GET; never rejects. `agent: false` opens a new connection for it. */
export function get(
  port: number,
  pathname = '/',
  agent: http.Agent | false = false,
  timeout = 10_000,
): Promise<Answer> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: pathname, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => {
        if (response.statusCode !== 200) {
          resolve({ error: `status ${response.statusCode}` });
          return;
        }
        const [pid, slot] = body.trim().split(' ');
        resolve({ pid: Number(pid), slot, body });
      });
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    request.setTimeout(timeout, () => request.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

/** What a load run counted. */
export interface LoadStats {
  ok: number;
  failed: number;
  /** Failures that were connection resets (ECONNRESET, EPIPE). */
  resets: number;
  errors: string[];
  /** Requests served, by worker pid. */
  byPid: Map<number, number>;
  /** Of them, on keep-alive connections and on new connections. */
  keepAlive: number;
  fresh: number;
}

/**
 * Steady HTTP load: `keepAlive` clients that reuse one connection each (Node's agent, as a proxy or a
 * service client would), and `fresh` clients that open a new connection per request, each one request
 * after another with `pause` ms between. Nothing retries: every error counts.
 */
export function startLoad(port: number, { keepAlive = 2, fresh = 2, pause = 2 } = {}) {
  const stats: LoadStats = { ok: 0, failed: 0, resets: 0, errors: [], byPid: new Map(), keepAlive: 0, fresh: 0 };
  let running = true;
  const agents: http.Agent[] = [];
  const client = async (agent: http.Agent | false) => {
    while (running) {
      const answer = await get(port, '/', agent);
      if (answer.error === undefined && answer.pid !== undefined) {
        stats.ok += 1;
        if (agent === false) stats.fresh += 1;
        else stats.keepAlive += 1;
        stats.byPid.set(answer.pid, (stats.byPid.get(answer.pid) ?? 0) + 1);
      } else {
        stats.failed += 1;
        if (answer.error === 'ECONNRESET' || answer.error === 'EPIPE') stats.resets += 1;
        stats.errors.push(`${agent === false ? 'fresh' : 'keep-alive'}: ${answer.error}`);
      }
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  };
  const clients: Promise<void>[] = [];
  for (let i = 0; i < keepAlive; i++) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    clients.push(client(agent));
  }
  for (let i = 0; i < fresh; i++) clients.push(client(false));
  return {
    stats,
    /** Waits until at least `count` more requests have been answered (bounded). */
    async served(count: number, timeout = 20_000) {
      const target = stats.ok + count;
      const start = Date.now();
      while (stats.ok < target) {
        if (Date.now() - start > timeout) throw new Error(`only ${stats.ok} of ${target} requests served`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async stop(): Promise<LoadStats> {
      running = false;
      await Promise.all(clients);
      for (const agent of agents) agent.destroy();
      return stats;
    },
  };
}

/** The smallest capacity traced between the first trace event passing `from` and the first passing `to`. */
export function minCapacity(
  trace: TraceEvent[],
  from: (entry: TraceEvent) => boolean,
  to: (entry: TraceEvent) => boolean,
) {
  const start = trace.findIndex(from);
  const end = trace.findIndex((entry, index) => index > start && to(entry));
  const window = trace.slice(start, end === -1 ? undefined : end);
  return Math.min(...window.filter((entry) => entry.event === 'capacity').map((entry) => Number(entry.n)));
}
