import net from 'node:net';
import type { DrainBody } from '../protocol.ts';
import { HttpServerDrain, isHttpServer } from './http-drain.ts';
import type { WorkerPart } from './part.ts';

/**
 * Knows every server the worker listens on, whoever created it (`net.Server.prototype.listen` is shared
 * by net, http, https and tls servers, and wrapped here before the worker's code runs), and drains them:
 * each is closed, so it gets no new connections, and the drain ends when their connections have closed.
 * HTTP servers close their connections gracefully (`HttpServerDrain`); other servers' connections are
 * the app's to end, within the primary's deadline.
 */
export class ServerTracker implements WorkerPart {
  readonly name = 'servers';
  readonly #listening = new Set<net.Server>();
  readonly #http = new WeakMap<net.Server, HttpServerDrain>();

  start(): void {
    const listen = net.Server.prototype.listen;
    const track = (server: net.Server) => this.#track(server);
    // An object method keeps the name `listen`.
    const wrapper = {
      listen(this: net.Server, ...args: unknown[]) {
        track(this);
        return Reflect.apply(listen, this, args);
      },
    };
    net.Server.prototype.listen = wrapper.listen as typeof listen;
  }

  async drain(body: DrainBody): Promise<void> {
    const servers = [...this.#listening].filter((server) => server.listening);
    await Promise.all(servers.map((server) => this.#drain(server, body.idleTimeout)));
  }

  #track(server: net.Server): void {
    if (this.#listening.has(server)) return;
    this.#listening.add(server);
    server.once('close', () => this.#listening.delete(server));
    if (isHttpServer(server) && !this.#http.has(server)) this.#http.set(server, new HttpServerDrain(server));
  }

  #drain(server: net.Server, idleTimeout: number): Promise<void> {
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    const http = this.#http.get(server);
    if (http === undefined) server.close();
    else http.drain(idleTimeout);
    return closed;
  }
}
