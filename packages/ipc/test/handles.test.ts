import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import { createChannel, type SendHandle } from '@cluster/ipc';
import { afterEach, describe, expect, it } from 'vitest';
import { forkPeer, killPeers, within } from './peer.ts';

const open: Array<{ close?: () => void; destroy?: () => void }> = [];
afterEach(() => {
  killPeers();
  for (const handle of open.splice(0)) {
    try {
      (handle.destroy ?? handle.close)?.call(handle);
    } catch {
      // Already closed.
    }
  }
});

const track = <T extends object>(handle: T): T => {
  open.push(handle as never);
  return handle;
};

async function listening(): Promise<net.Server> {
  const server = track(net.createServer());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** A connected pair: `client` in this process, `accepted` its server-side socket. */
async function socketPair(): Promise<{ client: net.Socket; accepted: net.Socket; server: net.Server }> {
  const server = await listening();
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const client = track(net.connect(portOf(server), '127.0.0.1'));
  const [socket] = await within(accepted);
  return { client, accepted: track(socket), server };
}

const portOf = (handle: net.Server | dgram.Socket): number => (handle.address() as net.AddressInfo).port;

/** Everything the socket receives until it ends, and whether it closed. */
function readAll(socket: net.Socket): Promise<string> {
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    data += chunk;
  });
  return within(new Promise((resolve) => socket.once('close', () => resolve(data))), 10_000, "the socket's close");
}

async function udpBound(): Promise<dgram.Socket> {
  const socket = track(dgram.createSocket('udp4'));
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

async function udpAsk(port: number, text: string): Promise<string> {
  const client = await udpBound();
  const reply = once(client, 'message') as Promise<[Buffer]>;
  client.send(text, port, '127.0.0.1');
  const [message] = await within(reply, 10_000, 'a UDP reply');
  return message.toString();
}

/** Whether something still holds `port`: binding it again fails with EADDRINUSE while it does. */
async function portHeld(kind: 'tcp' | 'udp', port: number): Promise<boolean> {
  if (kind === 'tcp') {
    const server = net.createServer();
    return new Promise((resolve) => {
      server.once('error', () => resolve(true));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
    });
  }
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(true));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(false)));
  });
}

describe('handle passing', () => {
  it('sends a net.Socket with a request, and with a notification', async () => {
    const { channel } = await forkPeer();
    const one = await socketPair();
    const received = readAll(one.client);
    await expect(channel.request('socket', { text: 'via request' }, { handle: one.accepted })).resolves.toBe(true);
    expect(await received).toBe('via request');

    const two = await socketPair();
    const receivedNote = readAll(two.client);
    expect(typeof channel.notify('socketNote', { text: 'via notify' }, { handle: two.accepted })).toBe('boolean');
    expect(await receivedNote).toBe('via notify');
  });

  it('keeps a sent net.Socket usable here with keepOpen, and only then', async () => {
    const { channel } = await forkPeer();
    const kept = await socketPair();
    const received = readAll(kept.client);
    channel.notify('keep', null, { handle: kept.accepted, keepOpen: true });
    await channel.request('writeKept', { text: 'child;' });
    await channel.request('closeKept', null);
    // The child's copy is closed; ours still writes, so the client is still connected.
    kept.accepted.end('parent');
    expect(await received).toBe('child;parent');

    const moved = await socketPair();
    const receivedMoved = readAll(moved.client);
    channel.notify('keep', null, { handle: moved.accepted });
    await channel.request('writeKept', { text: 'only-child' });
    await channel.request('closeKept', null);
    // Without keepOpen our copy went away when it was sent: the child closing its copy ends the connection.
    expect(await receivedMoved).toBe('only-child');
  });

  it('receives a net.Socket with a reply, honouring keepOpen on the sending side', async () => {
    const { channel } = await forkPeer();
    for (const keepOpen of [false, true]) {
      const server = await listening();
      const accepted = once(server, 'connection') as Promise<[net.Socket]>;
      const { handle, value } = await new Promise<{ handle: SendHandle | undefined; value: unknown }>(
        (resolve, reject) =>
          channel.call('connectTo', { port: portOf(server), keepOpen }, undefined, (error, reply, socket) =>
            error ? reject(error) : resolve({ handle: socket, value: reply }),
          ),
      );
      expect(value).toMatchObject({ local: expect.any(Number) });
      expect(handle).toBeInstanceOf(net.Socket);
      const [serverSide] = await within(accepted);
      const received = readAll(track(serverSide));
      const socket = track(handle as net.Socket);
      socket.write('from-parent;');
      if (keepOpen) await channel.request('writeKept', { text: 'from-child;' });
      await channel.request('closeKept', null);
      socket.end();
      expect(await received).toBe(keepOpen ? 'from-parent;from-child;' : 'from-parent;');
    }
  });

  it('sends a net.Server with a request and with a notification; the child accepts on it', async () => {
    const { channel } = await forkPeer();
    for (const how of ['request', 'notify'] as const) {
      const server = await listening();
      if (how === 'request') {
        const reply = await channel.request('server', { text: 'child-server' }, { handle: server });
        expect(reply).toEqual({ isServer: true, port: portOf(server) });
      } else {
        channel.notify('serverNote', { text: 'child-server' }, { handle: server });
        await channel.request('echo', null);
      }
      const port = portOf(server);
      server.close();
      const client = track(net.connect(port, '127.0.0.1'));
      expect(await readAll(client)).toBe('child-server');
    }
  });

  it('sends a dgram.Socket with a request and with a notification; the child answers on it', async () => {
    const { channel } = await forkPeer();
    for (const how of ['request', 'notify'] as const) {
      const socket = await udpBound();
      const port = portOf(socket);
      if (how === 'request') {
        expect(await channel.request('udp', { text: 'child' }, { handle: socket })).toEqual({ isUdp: true, port });
      } else {
        channel.notify('udpNote', { text: 'child' }, { handle: socket });
        await channel.request('echo', null);
      }
      socket.close();
      expect(await udpAsk(port, 'ping')).toBe('child:ping');
    }
  });

  it('receives a net.Server and a dgram.Socket with a reply', async () => {
    const { channel } = await forkPeer();
    const server = await new Promise<SendHandle | undefined>((resolve, reject) =>
      channel.call('makeServer', null, undefined, (error, _value, handle) => (error ? reject(error) : resolve(handle))),
    );
    expect(server).toBeInstanceOf(net.Server);
    track(server as net.Server);
    const udp = await new Promise<{ handle: SendHandle | undefined; port: number }>((resolve, reject) =>
      channel.call('makeUdp', null, undefined, (error, value, handle) =>
        error ? reject(error) : resolve({ handle, port: (value as { port: number }).port }),
      ),
    );
    expect(udp.handle).toBeInstanceOf(dgram.Socket);
    const socket = track(udp.handle as dgram.Socket);
    expect(portOf(socket)).toBe(udp.port);
  });
});

describe('handles nobody asked for', () => {
  it('closes a net.Socket sent to an unknown act, by notification or request', async () => {
    const { channel } = await forkPeer();
    const byNote = await socketPair();
    const noteClosed = readAll(byNote.client);
    channel.notify('nobodyHere', null, { handle: byNote.accepted });
    expect(await noteClosed).toBe('');

    const byRequest = await socketPair();
    const requestClosed = readAll(byRequest.client);
    await expect(channel.request('nobodyHere', null, { handle: byRequest.accepted })).rejects.toMatchObject({
      code: 'ERR_CLUSTER_IPC_UNKNOWN_ACT',
    });
    expect(await requestClosed).toBe('');
  });

  it('closes a net.Socket sent to a namespace the peer does not have', async () => {
    const { child } = await forkPeer();
    const stray = await socketPair();
    const closed = readAll(stray.client);
    const other = createChannel(child, { namespace: 'nobody' });
    await expect(other.request('echo', null, { handle: stray.accepted })).rejects.toMatchObject({
      code: 'ERR_CLUSTER_IPC_UNKNOWN_NAMESPACE',
    });
    expect(await closed).toBe('');
  });

  it('closes a net.Socket that comes with a malformed frame', async () => {
    const { child, channel } = await forkPeer();
    for (const frame of [
      { cmd: 'NODE_CLUSTER_IPC', k: 'bogus' },
      { cmd: 'NODE_CLUSTER_IPC', k: 'note', ns: 'default', act: 42 },
      { cmd: 'NODE_CLUSTER_IPC', k: 'res', ns: 'default', seq: 'one' },
      { cmd: 'NODE_CLUSTER_IPC', k: 'res', ns: 'default', seq: 99_999 },
    ]) {
      const stray = await socketPair();
      const closed = readAll(stray.client);
      child.send(frame, stray.accepted);
      expect(await closed).toBe('');
    }
    await expect(channel.request('echo', 'still fine')).resolves.toBe('still fine');
  });

  it('closes a net.Server and a dgram.Socket sent to an unknown act', async () => {
    const { channel } = await forkPeer();
    const server = await listening();
    const udp = await udpBound();
    const tcpPort = portOf(server);
    const udpPort = portOf(udp);
    channel.notify('nobodyHere', null, { handle: server });
    channel.notify('nobodyHere', null, { handle: udp });
    // Frames are handled in order: once this reply is here, the child has closed both.
    await channel.request('echo', null);
    server.close();
    udp.close();
    expect(await portHeld('tcp', tcpPort)).toBe(false);
    expect(await portHeld('udp', udpPort)).toBe(false);
  });

  it('closes a handle that comes with a reply nobody waits for any more (timed out)', async () => {
    const { channel } = await forkPeer();
    const server = await listening();
    const accepted = once(server, 'connection') as Promise<[net.Socket]>;
    await expect(
      channel.request('connectTo', { port: portOf(server), delay: 100 }, { timeout: 10 }),
    ).rejects.toMatchObject({ code: 'ERR_CLUSTER_IPC_TIMEOUT' });
    const [serverSide] = await within(accepted);
    // The child sent its only copy; we closed the late arrival, so the connection ends.
    expect(await readAll(track(serverSide))).toBe('');
  });
});
