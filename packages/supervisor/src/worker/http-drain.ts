import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** An `http` or `https` server (both have `closeIdleConnections`). */
export function isHttpServer(server: object): server is Server {
  return typeof (server as Partial<Server>).closeIdleConnections === 'function';
}

/**
 * Drains one HTTP server so that no client sees a reset. From `listen()` on it remembers each
 * connection's latest response; when asked to drain it:
 *
 * - closes the server (no new connections), but not its idle keep-alive connections at once, as Node's
 *   `close()` does since v19: a client may be writing its next request on one right then, and would get
 *   a reset instead of a response;
 * - makes every response from now on (and one in flight whose headers are not sent yet) carry
 *   `Connection: close`, so that the client's next request goes out on a new connection, to another
 *   worker;
 * - closes a keep-alive connection only once it has stayed idle for `idleTimeout`, the way Node's own
 *   `keepAliveTimeout` does. Connections that never sent a request (and upgraded ones, such as
 *   WebSockets) are left alone, as Node's `closeIdleConnections()` leaves them.
 *
 * The server's `'close'` event then comes when its last connection has closed.
 */
export class HttpServerDrain {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #responses = new WeakMap<Socket, ServerResponse>();
  readonly #idle = new Map<Socket, NodeJS.Timeout>();
  #draining = false;
  #idleTimeout = 0;

  constructor(server: Server) {
    this.#server = server;
    // https hands its requests the TLS socket, which 'secureConnection' gives. (Told apart without
    // importing node:tls, which would cost every worker its load.)
    const event =
      typeof (server as { setSecureContext?: unknown }).setSecureContext === 'function'
        ? 'secureConnection'
        : 'connection';
    server.on(event, (socket: Socket) => this.#onConnection(socket));
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) =>
      this.#onRequest(request, response),
    );
  }

  drain(idleTimeout: number): void {
    if (this.#draining) return;
    this.#draining = true;
    this.#idleTimeout = idleTimeout;
    closeKeepingIdleConnections(this.#server);
    for (const socket of this.#sockets) {
      const response = this.#responses.get(socket);
      if (response === undefined) continue;
      if (response.writableFinished) {
        this.#armIdle(socket);
      } else if (!response.headersSent) {
        response.setHeader('Connection', 'close');
      } else {
        // Sent as keep-alive before the drain: the connection turns idle when it is done.
        response.once('finish', () => this.#armIdle(socket));
      }
    }
  }

  #onConnection(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => {
      this.#sockets.delete(socket);
      this.#disarm(socket);
    });
  }

  #onRequest(request: IncomingMessage, response: ServerResponse): void {
    const { socket } = request;
    this.#responses.set(socket, response);
    if (!this.#draining) return;
    this.#disarm(socket);
    response.setHeader('Connection', 'close');
  }

  #armIdle(socket: Socket): void {
    if (socket.destroyed) return;
    this.#disarm(socket);
    this.#idle.set(
      socket,
      setTimeout(() => socket.destroy(), this.#idleTimeout),
    );
  }

  #disarm(socket: Socket): void {
    const timer = this.#idle.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#idle.delete(socket);
  }
}

/** `server.close()` without the `closeIdleConnections()` that Node 19+ runs in it. */
function closeKeepingIdleConnections(server: Server): void {
  const own = Object.getOwnPropertyDescriptor(server, 'closeIdleConnections');
  server.closeIdleConnections = noop;
  try {
    server.close();
  } finally {
    if (own === undefined) delete (server as Partial<Server>).closeIdleConnections;
    else Object.defineProperty(server, 'closeIdleConnections', own);
  }
}

function noop(): void {}
