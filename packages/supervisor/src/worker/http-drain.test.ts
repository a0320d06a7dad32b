import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServerDrain } from './http-drain.ts';

const servers: http.Server[] = [];
const agents: http.Agent[] = [];
afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
  for (const server of servers.splice(0)) server.closeAllConnections();
});

/** A server whose `/slow` answers when the test says so, with a drain attached as the preload attaches it. */
async function start() {
  const waiting: Array<() => void> = [];
  const server = http.createServer((request, response) => {
    if (request.url === '/slow') waiting.push(() => response.end('slow'));
    else response.end('quick');
  });
  servers.push(server);
  const drain = new HttpServerDrain(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  const sockets: net.Socket[] = [];
  agent.on('free', (socket) => sockets.includes(socket) || sockets.push(socket));
  const request = (path: string) =>
    new Promise<{ body: string; connection: string | undefined }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () => resolve({ body, connection: response.headers.connection }));
        })
        .on('error', reject);
    });
  const answerSlow = () => waiting.shift()?.();
  const slowArrived = async () => {
    while (waiting.length === 0) await new Promise((resolve) => setImmediate(resolve));
  };
  return { server, drain, port, agent, sockets, request, answerSlow, slowArrived };
}

describe('HttpServerDrain', () => {
  it('gives a response in flight Connection: close, and the server closes once it is done', async () => {
    const { server, drain, request, answerSlow, slowArrived } = await start();
    const slow = request('/slow');
    await slowArrived();
    const closed = once(server, 'close');
    drain.drain(60_000);
    expect(server.listening).toBe(false);
    answerSlow();
    expect(await slow).toEqual({ body: 'slow', connection: 'close' });
    await closed;
  });

  it('closes an idle keep-alive connection only after idleTimeout, not at once as close() would', async () => {
    const { server, drain, request, sockets } = await start();
    expect((await request('/')).connection).toBe('keep-alive');
    const [socket] = sockets;
    const closed = once(server, 'close');
    const startedAt = Date.now();
    drain.drain(200);
    expect(socket?.destroyed).toBe(false);
    await closed;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
  });

  it('serves a request that comes on an idle connection during the drain, with Connection: close', async () => {
    const { server, drain, request } = await start();
    await request('/');
    const closed = once(server, 'close');
    drain.drain(60_000);
    expect(await request('/')).toEqual({ body: 'quick', connection: 'close' });
    await closed;
  });

  it('leaves a connection that never sent a request alone, as closeIdleConnections() does', async () => {
    const { server, drain, port, request, sockets } = await start();
    await request('/');
    const raw = net.connect(port, '127.0.0.1');
    await once(server, 'connection');
    let closed = false;
    server.once('close', () => {
      closed = true;
    });
    drain.drain(20);
    // Once the idle keep-alive connection has been closed at idleTimeout, the other one is still open.
    await once(sockets[0] as net.Socket, 'close');
    expect(raw.destroyed).toBe(false);
    expect(closed).toBe(false);
    raw.destroy();
    await once(server, 'close');
  });
});
