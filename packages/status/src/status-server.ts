import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invalidArgType, invalidArgValue } from '@cluster/errors';
import { type MetricsEvent, type MetricsSnapshot, monitorLoopDelay, type SupervisorMetrics } from '@cluster/supervisor';
import { type ClusterCounters, clusterFamilies, countSample, RunningTotal } from './cluster-metrics.ts';
import { statusError } from './errors.ts';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from './exposition.ts';
import { renderPage } from './page.ts';
import { aggregatePromClient } from './prom-aggregate.ts';

/** The address the server binds to unless told otherwise: reachable from this machine only. */
export const DEFAULT_STATUS_HOST = '127.0.0.1';
/** The primary's event loop counts as unresponsive (`/healthz` 503) above this delay (p99 of the last interval). */
export const DEFAULT_HEALTH_MAX_DELAY_MS = 1_000;
/** How often the primary's own event-loop delay is read. */
const PRIMARY_LOOP_WINDOW_MS = 1_000;
/**
 * The primary's delay monitor's resolution: each tick wakes an idle primary up, and at 10 ms (Node's
 * default for its own monitor) that cost it ~5 ms of CPU a second here; ten readings a second are plenty
 * to tell a loop stalled for `healthMaxDelay` (a second) from a responsive one.
 */
const PRIMARY_LOOP_RESOLUTION_MS = 100;
/** Server-sent events: a comment this often keeps proxies from closing an idle stream. */
const SSE_KEEPALIVE_MS = 15_000;
/** Largest request body a POST may carry. */
const MAX_BODY_BYTES = 4_096;

/** What the status server needs of a supervisor: `@cluster/supervisor`'s `Supervisor` fits. */
export interface StatusSupervisor {
  readonly workers: ReadonlyArray<{ readonly id: number; readonly state: string; readonly pid: number | undefined }>;
  readonly stopping: boolean;
  readonly metrics: SupervisorMetrics | undefined;
  reload(): Promise<{ replaced: number }>;
  scale(workers: number | 'max'): Promise<void>;
  on(event: 'reloadEnd' | 'shutdown', listener: (...args: never[]) => void): unknown;
}

/** What `/readyz` answers: `ready` decides 200 or 503; its body is `{ status, state, ready: workers }`. */
export interface Readiness {
  readonly ready: boolean;
  /** A word for the whole: `starting`, `ready`, `stopping`, or the caller's own. */
  readonly state: string;
  /** Slots with a ready worker. */
  readonly workers: number;
}

export interface StatusServerOptions {
  supervisor: StatusSupervisor;
  /** Default `127.0.0.1`; name another address (`0.0.0.0`, `::`) to be reached from elsewhere. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /**
   * Turns on `POST /reload` and `POST /scale` for requests with `Authorization: Bearer <token>`.
   * Without it the server only reads.
   */
  token?: string;
  /** Aggregate the prom-client registries the workers loaded into `/metrics`. Default: `true`. */
  promClient?: boolean;
  /** The page's title. Default: `'cluster'`. */
  title?: string;
  /** Fields put first in `/status.json` (the CLI's instance snapshot). */
  describe?: () => object;
  /** Replaces the default readiness: at least one slot ready and no shutdown begun. */
  readiness?: () => Readiness;
  /** `/healthz` answers 503 when the primary's event-loop delay p99 passes this, ms. Default: 1 000. */
  healthMaxDelay?: number;
}

/** A running status server. */
export interface StatusServer {
  /** `http://127.0.0.1:9090`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends every open connection (event streams included). */
  close(): Promise<void>;
}

/** Readiness as Kubernetes means it: a worker can take traffic, and no shutdown has begun. */
export function defaultReadiness(supervisor: StatusSupervisor): Readiness {
  const ready = supervisor.workers.filter((slot) => slot.state === 'ready').length;
  const state = supervisor.stopping ? 'stopping' : ready > 0 ? 'ready' : 'starting';
  return { ready: !supervisor.stopping && ready > 0, state, workers: ready };
}

function check(options: unknown): asserts options is StatusServerOptions {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
  const { supervisor, host, port, token } = options as Record<string, unknown>;
  if (supervisor === null || typeof supervisor !== 'object' || !('workers' in supervisor)) {
    throw invalidArgType('options.supervisor', 'a Supervisor', supervisor);
  }
  if (host !== undefined && (typeof host !== 'string' || host === ''))
    throw invalidArgType('options.host', 'a non-empty string', host);
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)) {
    throw invalidArgValue('options.port', port, 'must be an integer from 0 to 65535');
  }
  if (token !== undefined && (typeof token !== 'string' || token.length < 8)) {
    throw invalidArgValue('options.token', '<redacted>', 'must be a string of at least 8 characters');
  }
}

/**
 * Serves a supervised cluster's state, for people and for machines:
 * - `GET /metrics`: Prometheus text (0.0.4), per worker (`slot`, `pid`) and totals, with the workers'
 *   prom-client registries aggregated; a worker that does not answer in time is `cluster_worker_metrics_up 0`;
 * - `GET /status.json`: the same as JSON, with the history and events (`?history=0` leaves them out);
 * - `GET /healthz`: 200 while the primary's event loop is responsive; `GET /readyz`: 200 while a worker is
 *   ready and no shutdown has begun, 503 from the moment one does;
 * - `GET /events`: server-sent events, one `sample` per metrics interval and one `event` per fork, exit…;
 * - `GET /`: the live page (no script from elsewhere);
 * - with `token`: `POST /reload`, `POST /scale` (`{"workers": n}`), under `Authorization: Bearer <token>`.
 */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  check(options);
  const { supervisor } = options;
  const metrics = supervisor.metrics;
  const host = options.host ?? DEFAULT_STATUS_HOST;
  const port = options.port ?? 0;
  const promClient = options.promClient !== false;
  const healthMaxDelay = options.healthMaxDelay ?? DEFAULT_HEALTH_MAX_DELAY_MS;
  const readiness = options.readiness ?? (() => defaultReadiness(supervisor));
  const counters: ClusterCounters = { reloads: 0, cpuSeconds: 0, handed: 0 };
  supervisor.on('reloadEnd', () => {
    counters.reloads += 1;
  });
  const onCount = countSample(counters, { cpu: new RunningTotal(), handed: new RunningTotal() });
  const latest = metrics?.latest();
  if (latest !== undefined) onCount(latest);
  metrics?.on('sample', onCount);

  // The primary's own loop: how late a timer ran, read and reset every window.
  const loop = monitorLoopDelay(PRIMARY_LOOP_RESOLUTION_MS);
  let primaryDelayMs = 0;
  const loopTimer = setInterval(() => {
    primaryDelayMs = loop.percentile(99);
    loop.reset();
  }, PRIMARY_LOOP_WINDOW_MS);
  loopTimer.unref();

  const streams = new Set<http.ServerResponse>();
  /** Sends to every open stream; with none open, `data` (a status, with `describe()`) is never built. */
  const send = (event: string, data: () => unknown) => {
    if (streams.size === 0) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(data())}\n\n`;
    for (const stream of streams) stream.write(frame);
  };
  const onSample = (snapshot: MetricsSnapshot) => send('sample', () => ({ ...status(false), metrics: snapshot }));
  const onEvent = (event: MetricsEvent) => send('event', () => event);
  metrics?.on('sample', onSample);
  metrics?.on('event', onEvent);
  const keepAlive = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, SSE_KEEPALIVE_MS);
  keepAlive.unref();

  const status = (withHistory: boolean) => {
    const base = options.describe?.() ?? {};
    return {
      ...base,
      readiness: readiness(),
      stopping: supervisor.stopping,
      slots: supervisor.workers.map((slot) => ({ slot: slot.id, state: slot.state, pid: slot.pid ?? null })),
      metrics: metrics?.latest() ?? null,
      ...(withHistory && metrics !== undefined
        ? { interval: metrics.options.interval, history: metrics.history(), events: metrics.events() }
        : {}),
    };
  };

  const exposition = async (): Promise<string> => {
    if (metrics === undefined) {
      throw statusError('ERR_CLUSTER_STATUS_NO_METRICS', 'the supervisor gathers no metrics (options.metrics)');
    }
    const answers = promClient ? await metrics.promClient() : undefined;
    const snapshot = metrics.latest();
    // The same sample again changes nothing; a newer one than the last event brings the totals level with it.
    onCount(snapshot);
    const ours = clusterFamilies({
      snapshot,
      counters,
      stopping: supervisor.stopping,
      primaryLoopDelay: primaryDelayMs / 1_000,
      promClient: answers,
    });
    const reserved = new Set(ours.map((family) => family.name));
    return renderExposition([...ours, ...(answers === undefined ? [] : aggregatePromClient(answers, reserved))]);
  };

  const actions: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    '/reload': () => supervisor.reload(),
    '/scale': async (body) => {
      const workers = body.workers;
      if (workers !== 'max' && (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 0)) {
        throw invalidArgValue('workers', workers, "must be a count or 'max'");
      }
      await supervisor.scale(workers);
      return { workers };
    },
  };

  /** Stops the timers and listeners this server added (the supervisor outlives it). */
  const detach = () => {
    clearInterval(loopTimer);
    clearInterval(keepAlive);
    loop.stop();
    metrics?.off('sample', onSample);
    metrics?.off('sample', onCount);
    metrics?.off('event', onEvent);
  };

  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
    if (path in actions) {
      action(request, response, path);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      json(
        response,
        405,
        {
          error: `${request.method} is not allowed here: this server only reads`,
          code: 'ERR_CLUSTER_STATUS_READ_ONLY',
        },
        { allow: 'GET, HEAD' },
      );
      return;
    }
    switch (path) {
      case '/healthz': {
        const healthy = primaryDelayMs <= healthMaxDelay;
        json(response, healthy ? 200 : 503, {
          status: healthy ? 'ok' : 'event loop blocked',
          eventLoopDelayMs: primaryDelayMs,
        });
        return;
      }
      case '/readyz': {
        const { ready, state, workers } = readiness();
        json(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', state, ready: workers });
        return;
      }
      case '/status.json':
        json(response, 200, status(query.get('history') !== '0'));
        return;
      case '/metrics':
        exposition().then(
          (text) => reply(response, 200, text, EXPOSITION_CONTENT_TYPE),
          (error: Error & { code?: string }) => json(response, 503, { error: error.message, code: error.code }),
        );
        return;
      case '/events':
        openStream(response);
        return;
      case '/':
      case '/index.html':
        reply(
          response,
          200,
          renderPage({ title: options.title ?? 'cluster', actions: options.token !== undefined }),
          'text/html; charset=utf-8',
        );
        return;
      default:
        json(response, 404, {
          error: 'not found',
          paths: ['/', '/metrics', '/status.json', '/healthz', '/readyz', '/events'],
        });
    }
  });

  function openStream(response: http.ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    if (response.req.method === 'HEAD') {
      response.end();
      return;
    }
    response.write(`event: hello\ndata: ${JSON.stringify(status(true))}\n\n`);
    streams.add(response);
    response.on('close', () => streams.delete(response));
  }

  function action(request: http.IncomingMessage, response: http.ServerResponse, path: string): void {
    if (options.token === undefined) {
      json(response, 404, {
        error: `${path} is off: this status server only reads (start it with a token to allow it)`,
        code: 'ERR_CLUSTER_STATUS_READ_ONLY',
      });
      return;
    }
    if (request.method !== 'POST') {
      json(response, 405, { error: `${path} takes POST`, code: 'ERR_CLUSTER_STATUS_METHOD' }, { allow: 'POST' });
      return;
    }
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      json(
        response,
        401,
        { error: 'a valid Authorization: Bearer <token> is required', code: 'ERR_CLUSTER_STATUS_UNAUTHORIZED' },
        { 'www-authenticate': 'Bearer' },
      );
      request.resume();
      return;
    }
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) request.destroy();
    });
    request.on('end', () => {
      let parsed: Record<string, unknown> = {};
      try {
        parsed = body.trim() === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      } catch {
        json(response, 400, { error: 'the body is not JSON', code: 'ERR_INVALID_ARG_VALUE' });
        return;
      }
      (actions[path] as (body: Record<string, unknown>) => Promise<unknown>)(parsed).then(
        (result) => json(response, 200, { ok: true, result }),
        (error: Error & { code?: string }) =>
          json(response, error.code === 'ERR_INVALID_ARG_VALUE' ? 400 : 409, {
            ok: false,
            error: error.message,
            code: error.code,
          }),
      );
    });
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(
        statusError(
          'ERR_CLUSTER_STATUS_LISTEN_FAILED',
          `the status server could not listen on ${host}:${port} (${error.code})`,
          error,
        ),
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  }).catch((error) => {
    detach();
    throw error;
  });
  // Probes open a connection per request; never let one hold the primary's exit.
  server.keepAliveTimeout = 1_000;
  server.unref();
  const bound = server.address() as AddressInfo;
  const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${shown}:${bound.port}`,
    port: bound.port,
    close: () =>
      new Promise<void>((resolve) => {
        detach();
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(
  response: http.ServerResponse,
  status: number,
  text: string,
  type: string,
  headers: http.OutgoingHttpHeaders = {},
) {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : text);
}

function json(response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  reply(response, status, `${JSON.stringify(body)}\n`, 'application/json; charset=utf-8', headers);
}
