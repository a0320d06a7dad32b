import net from 'node:net';
import { roundRobin } from '@cluster/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerQuery } from '../protocol.ts';
import type { PortPeer } from './peer.ts';
import { createPortRegistry, type PortRegistry, type QueryResult } from './port-registry.ts';

/** A worker stand-in that accepts every connection it is handed (the primary then closes its copy), and counts them. */
function acceptingPeer(id: number) {
  const state = { handed: 0 };
  const peer = {
    id,
    channel: {
      isOpen: true,
      call(_act: string, _body: unknown, _options: unknown, callback: Function) {
        state.handed += 1;
        setImmediate(() => callback(null, { accepted: true, connections: 0 }));
        return true;
      },
    },
  } as unknown as PortPeer;
  return { peer, state };
}

const QUERY: ServerQuery = {
  address: '127.0.0.1',
  port: 0,
  addressType: 4,
  fd: undefined,
  flags: undefined,
  backlog: undefined,
  index: 0,
  data: null,
};

const query = (registry: PortRegistry, peer: PortPeer) =>
  new Promise<QueryResult>((resolve) => registry.query(peer, QUERY, resolve));

/** Opens a connection and leaves it to the registry (the fake workers never answer on it). */
function connect(port: number): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  sockets.push(socket);
  return socket;
}

const sockets: net.Socket[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function make(...peers: PortPeer[]) {
  const registry = createPortRegistry({ mode: 'rr', createPolicy: roundRobin });
  cleanups.push(() => {
    for (const peer of peers) registry.removePeer(peer);
  });
  return registry;
}

describe('pausing a worker on the port registry', () => {
  it('hands a paused worker no new connections, and hands it some again once resumed', async () => {
    const a = acceptingPeer(1);
    const b = acceptingPeer(2);
    const registry = make(a.peer, b.peer);
    const { sockname } = await query(registry, a.peer);
    await query(registry, b.peer);
    const port = sockname?.port as number;

    registry.pause(a.peer);
    for (let i = 0; i < 6; i++) connect(port);
    await expect.poll(() => b.state.handed).toBe(6);
    expect(a.state.handed).toBe(0);

    registry.resume(a.peer);
    for (let i = 0; i < 6; i++) connect(port);
    await expect.poll(() => a.state.handed + b.state.handed).toBe(12);
    expect(a.state.handed).toBeGreaterThan(0);
  });

  it('keeps connections waiting while every worker is paused, and hands them over on resume', async () => {
    const a = acceptingPeer(1);
    const clock = acceptingPeer(2);
    const registry = make(a.peer, clock.peer);
    const { sockname } = await query(registry, a.peer);
    // A second listener with a worker of its own: once it has handed a later connection over, the
    // primary has accepted the first one too.
    const other = await new Promise<QueryResult>((resolve) =>
      registry.query(clock.peer, { ...QUERY, index: 1 }, resolve),
    );
    registry.pause(a.peer);
    const socket = connect(sockname?.port as number);
    let closed = false;
    socket.on('close', () => {
      closed = true;
    });
    await new Promise((resolve) => socket.once('connect', resolve));
    connect(other.sockname?.port as number);
    await expect.poll(() => clock.state.handed).toBe(1);
    // Accepted by the primary and queued: neither handed to the paused worker nor closed.
    expect(a.state.handed).toBe(0);
    expect(closed).toBe(false);
    registry.resume(a.peer);
    await expect.poll(() => a.state.handed).toBe(1);
    expect(closed).toBe(false);
  });

  it('applies a pause to listeners the worker joins after it', async () => {
    const a = acceptingPeer(1);
    const b = acceptingPeer(2);
    const registry = make(a.peer, b.peer);
    registry.pause(a.peer);
    const { sockname } = await query(registry, a.peer);
    await query(registry, b.peer);
    for (let i = 0; i < 4; i++) connect(sockname?.port as number);
    await expect.poll(() => b.state.handed).toBe(4);
    expect(a.state.handed).toBe(0);
  });

  it('closes the listener with its last worker even when that worker is paused', async () => {
    const a = acceptingPeer(1);
    const registry = make(a.peer);
    await query(registry, a.peer);
    registry.pause(a.peer);
    registry.removePeer(a.peer);
    expect(registry.size).toBe(0);
  });
});
