import net from 'node:net';
import { roundRobin } from '@cluster/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerQuery } from '../protocol.ts';
import { MAX_HANDOFF_ATTEMPTS } from './handoff-listener.ts';
import type { PortPeer } from './peer.ts';
import { createPortRegistry, type PortRegistry, type QueryResult } from './port-registry.ts';

type Decide = (handle: { close(): void }) => { accepted: boolean; connections: number } | 'drop' | 'never';

/** A worker stand-in: answers `newconn` by `decide`, and records what it was handed. */
function fakePeer(id: number, decide: Decide) {
  const handed: number[] = [];
  const held: Function[] = [];
  let open = true;
  const peer = {
    id,
    channel: {
      get isOpen() {
        return open;
      },
      call(act: string, body: { key: number }, options: { handle: { close(): void } }, callback: Function) {
        if (act !== 'newconn') throw new Error(`unexpected ${act}`);
        if (!open) {
          // As a real channel does: nothing is sent, and the callback hears so on the next tick.
          process.nextTick(callback, Object.assign(new Error('closed'), { code: 'ERR_IPC_CHANNEL_CLOSED' }));
          return false;
        }
        handed.push(body.key);
        const answer = decide(options.handle);
        if (answer === 'never') {
          held.push(callback);
          return true;
        }
        if (answer === 'drop')
          setImmediate(() => callback(Object.assign(new Error('gone'), { code: 'ERR_IPC_DISCONNECTED' })));
        else setImmediate(() => callback(null, answer));
        return true;
      },
    },
  } as unknown as PortPeer;
  /** Fails the calls left unanswered, as a channel does when its worker goes. */
  const fail = () => {
    for (const callback of held.splice(0)) callback(Object.assign(new Error('gone'), { code: 'ERR_IPC_DISCONNECTED' }));
  };
  /** Closes the channel without telling anyone, as happens before 'disconnect' is handled. */
  const cut = () => {
    open = false;
    fail();
  };
  return { peer, handed, fail, cut };
}

const accept: Decide = () => ({ accepted: true, connections: 1 });
const decline: Decide = () => ({ accepted: false, connections: 0 });

function tcpQuery(port = 0, index = 0): ServerQuery {
  return {
    address: '127.0.0.1',
    port,
    addressType: 4,
    fd: undefined,
    flags: undefined,
    backlog: undefined,
    index,
    data: null,
  };
}

const query = (registry: PortRegistry, peer: PortPeer, q: ServerQuery) =>
  new Promise<QueryResult>((resolve) => registry.query(peer, q, resolve));

/** Connects and resolves once the connection ends: 'closed' when the primary closed it without a worker. */
function connectAndWait(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('close', () => resolve('closed'));
    socket.on('error', () => {});
  });
}

const registries: PortRegistry[] = [];
const peersOf = new Map<PortRegistry, PortPeer[]>();
afterEach(() => {
  for (const registry of registries.splice(0))
    for (const peer of peersOf.get(registry) ?? []) registry.removePeer(peer);
});

function make(mode: 'rr' | 'none', ...peers: PortPeer[]) {
  const registry = createPortRegistry({ mode, createPolicy: roundRobin });
  registries.push(registry);
  peersOf.set(registry, peers);
  return registry;
}

describe('createPortRegistry', () => {
  it('shares one listener between workers asking for the same address and index, and one per index', async () => {
    const a = fakePeer(1, accept);
    const b = fakePeer(2, accept);
    const registry = make('rr', a.peer, b.peer);
    const first = await query(registry, a.peer, tcpQuery());
    const second = await query(registry, b.peer, tcpQuery());
    expect(first).toMatchObject({ errno: 0, mode: 'rr' });
    expect(second.key).toBe(first.key);
    expect(second.sockname).toEqual(first.sockname);
    const other = await query(registry, a.peer, tcpQuery(0, 1));
    expect(other.key).not.toBe(first.key);
    expect(registry.size).toBe(2);
  });

  it('answers a failed bind with its errno and forgets it, so that a later listen tries again', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    const a = fakePeer(1, accept);
    const registry = make('rr', a.peer);
    expect((await query(registry, a.peer, tcpQuery(port))).errno).toBe(-98);
    expect(registry.size).toBe(0);
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    expect((await query(registry, a.peer, tcpQuery(port))).errno).toBe(0);
  });

  it('closes the listener when the last worker leaves it, freeing the port', async () => {
    const a = fakePeer(1, accept);
    const b = fakePeer(2, accept);
    const registry = make('rr', a.peer, b.peer);
    const { key, sockname } = await query(registry, a.peer, tcpQuery());
    await query(registry, b.peer, tcpQuery());
    registry.close(a.peer, key);
    expect(registry.size).toBe(1);
    registry.removePeer(b.peer);
    expect(registry.size).toBe(0);
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(sockname?.port, '127.0.0.1', resolve);
    });
    probe.close();
  });

  it('offers a declined connection to another worker, and closes one that every worker declined', async () => {
    const picky = fakePeer(1, decline);
    const willing = fakePeer(2, (handle) => {
      handle.close();
      return { accepted: true, connections: 1 };
    });
    const registry = make('rr', picky.peer, willing.peer);
    const { sockname } = await query(registry, picky.peer, tcpQuery());
    await query(registry, willing.peer, tcpQuery());
    await connectAndWait(sockname?.port as number);
    expect(picky.handed.length).toBeLessThanOrEqual(1);
    expect(willing.handed).toHaveLength(1);

    const nobody = fakePeer(3, decline);
    const alone = make('rr', nobody.peer);
    const shared = await query(alone, nobody.peer, tcpQuery());
    expect(await connectAndWait(shared.sockname?.port as number)).toBe('closed');
    expect(nobody.handed).toHaveLength(1);
  });

  it('gives a worker at most one handoff it has not acknowledged', async () => {
    const stuck = fakePeer(1, () => 'never');
    const quick = fakePeer(2, (handle) => {
      handle.close();
      return { accepted: true, connections: 1 };
    });
    const registry = make('rr', stuck.peer, quick.peer);
    const { sockname } = await query(registry, stuck.peer, tcpQuery());
    await query(registry, quick.peer, tcpQuery());
    const port = sockname?.port as number;
    let ended = 0;
    const fourEnded = new Promise<void>((resolve) => {
      for (let i = 0; i < 5; i++) connectAndWait(port).then(() => ++ended === 4 && resolve());
    });
    await fourEnded;
    expect(stuck.handed).toHaveLength(1);
    expect(quick.handed).toHaveLength(4);
    // The stuck worker goes: its channel fails the call, and the connection it held goes to the other.
    registry.removePeer(stuck.peer);
    stuck.fail();
    await expect.poll(() => ended).toBe(5);
    expect(quick.handed).toHaveLength(5);
  });

  it('re-queues a handoff lost with its worker to another worker', async () => {
    const dying = fakePeer(1, () => 'drop');
    const alive = fakePeer(2, (handle) => {
      handle.close();
      return { accepted: true, connections: 1 };
    });
    const registry = make('rr', dying.peer, alive.peer);
    const { sockname } = await query(registry, dying.peer, tcpQuery());
    await query(registry, alive.peer, tcpQuery());
    await connectAndWait(sockname?.port as number);
    expect(dying.handed).toHaveLength(1);
    expect(alive.handed).toHaveLength(1);
  });

  it('shares the handle itself under SCHED_NONE and for UDP', async () => {
    const a = fakePeer(1, accept);
    const none = make('none', a.peer);
    const tcp = await query(none, a.peer, tcpQuery());
    expect(tcp).toMatchObject({ errno: 0, mode: 'shared' });
    expect(tcp.handle).toBeDefined();
    const rr = make('rr', a.peer);
    const udp = await query(rr, a.peer, { ...tcpQuery(), addressType: 'udp4', fd: -1 });
    expect(udp).toMatchObject({ errno: 0, mode: 'shared' });
    expect(udp.handle).toBeDefined();
  });

  it('keeps the server data of the first worker that listened (TLS ticket keys)', async () => {
    const a = fakePeer(1, accept);
    const b = fakePeer(2, accept);
    const registry = make('rr', a.peer, b.peer);
    await query(registry, a.peer, { ...tcpQuery(), data: { ticketKeys: 'first' } });
    const second = await query(registry, b.peer, { ...tcpQuery(), data: { ticketKeys: 'second' } });
    expect(second.data).toEqual({ ticketKeys: 'first' });
  });

  it('answers a duplicated query again and keeps one place in the pool (regression: a wedged primary)', async () => {
    const twice = fakePeer(1, accept);
    const other = fakePeer(2, (handle) => {
      handle.close();
      return { accepted: true, connections: 1 };
    });
    const registry = make('rr', twice.peer, other.peer);
    const first = await query(registry, twice.peer, tcpQuery());
    const again = await query(registry, twice.peer, tcpQuery());
    expect(again).toEqual(first);
    await query(registry, other.peer, tcpQuery());
    // It leaves once, its channel closed: nothing of it may stay behind to be handed connections.
    twice.cut();
    registry.removePeer(twice.peer);
    for (let i = 0; i < 3; i++) await connectAndWait(first.sockname?.port as number);
    expect(twice.handed).toHaveLength(0);
    expect(other.handed).toHaveLength(3);
    registry.removePeer(other.peer);
    expect(registry.size).toBe(0);
  });

  it('takes a worker whose channel is found closed out of every pool at once', async () => {
    const gone = fakePeer(1, accept);
    const alive = fakePeer(2, (handle) => {
      handle.close();
      return { accepted: true, connections: 1 };
    });
    const registry = make('rr', gone.peer, alive.peer);
    const pools = [];
    for (const index of [0, 1]) {
      pools.push(await query(registry, gone.peer, tcpQuery(0, index)));
      await query(registry, alive.peer, tcpQuery(0, index));
    }
    // Closed, and nobody has called removePeer yet (its 'disconnect' is still to come).
    gone.cut();
    for (let i = 0; i < 2; i++) await connectAndWait(pools[1]?.sockname?.port as number);
    expect(gone.handed).toHaveLength(0);
    expect(alive.handed).toHaveLength(2);
    // Out of the other pool too: the last worker leaving it closes it.
    registry.close(alive.peer, pools[0]?.key as number);
    expect(registry.size).toBe(1);
    // Its 'disconnect' and 'exit' arrive late, twice: nothing changes.
    registry.removePeer(gone.peer);
    registry.removePeer(gone.peer);
    expect(registry.size).toBe(1);
  });

  it(`closes a connection that was lost ${MAX_HANDOFF_ATTEMPTS} times, even with a worker left to try`, async () => {
    const dying = Array.from({ length: MAX_HANDOFF_ATTEMPTS + 1 }, (_, i) => fakePeer(i + 1, () => 'drop'));
    const registry = make('rr', ...dying.map(({ peer }) => peer));
    const { sockname } = await query(registry, dying[0]?.peer as PortPeer, tcpQuery());
    for (const { peer } of dying.slice(1)) await query(registry, peer, tcpQuery());
    expect(await connectAndWait(sockname?.port as number)).toBe('closed');
    expect(dying.reduce((sum, { handed }) => sum + handed.length, 0)).toBe(MAX_HANDOFF_ATTEMPTS);
    // Each loss took its worker out; the one never tried still holds the listener.
    expect(registry.size).toBe(1);
  });

  it('closes a listener whose only worker left while it was binding, freeing the port', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const a = fakePeer(1, accept);
    const registry = make('rr', a.peer);
    let answered = false;
    registry.query(a.peer, tcpQuery(port), () => {
      answered = true;
    });
    registry.removePeer(a.peer);
    expect(registry.size).toBe(0);
    await expect
      .poll(
        () =>
          new Promise<boolean>((resolve) => {
            const again = net.createServer();
            again.once('error', () => resolve(false));
            again.listen(port, '127.0.0.1', () => again.close(() => resolve(true)));
          }),
      )
      .toBe(true);
    expect(answered).toBe(false);
  });
});
