import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cliError } from '../errors.ts';
import type { ListenAddress } from '../option-values.ts';
import type { InstanceSnapshot } from './snapshot.ts';

/**
 * What the status server reads of the instance. This file is the whole status server, behind this
 * interface and `startStatusServer()`, so that a fuller one (metrics, a live page: `@cluster/status`) can
 * take its place without touching the rest of the CLI.
 */
export interface StatusSource {
  snapshot(): InstanceSnapshot;
  /** `ready`: at least one worker is ready and no shutdown has started. */
  readiness(): { ready: boolean; workers: number; state: string };
}

/** A running status server. */
export interface StatusServer {
  /** `http://127.0.0.1:9090`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves, for probes and scripts:
 * - `GET /healthz`: 200 while the primary's event loop turns (it answers at all);
 * - `GET /readyz`: 200 while at least one worker is ready and no shutdown has started, else 503: it turns
 *   503 the moment a SIGTERM arrives, so that Kubernetes stops sending traffic before the drain;
 * - `GET /status.json`: the instance's snapshot, as `cluster status --json` prints it.
 */
export async function startStatusServer(address: ListenAddress, source: StatusSource): Promise<StatusServer> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply(response, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
      return;
    }
    if (path === '/healthz') reply(response, 200, { status: 'ok' });
    else if (path === '/readyz') {
      const { ready, workers, state } = source.readiness();
      reply(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', state, ready: workers });
    } else if (path === '/status.json') reply(response, 200, source.snapshot());
    else reply(response, 404, { error: 'not found', paths: ['/healthz', '/readyz', '/status.json'] });
  });
  // Probes open a connection per request; never let one hold the primary's exit.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        cliError(
          'ERR_CLUSTER_STATUS_LISTEN_FAILED',
          `--status could not listen on ${address.host}:${address.port} (${error.code})`,
          {
            cause: error,
          },
        ),
      ),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  server.unref();
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : text);
}
