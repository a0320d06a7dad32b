import { once } from 'node:events';
import { createChannel } from '@cluster/ipc';
import { afterEach, describe, expect, it } from 'vitest';
import { forkPeer, killPeers, within } from './peer.ts';

afterEach(killPeers);

describe('request/reply', () => {
  it('matches 2 000 concurrent replies to their requests, whatever order they come back in', async () => {
    const { channel } = await forkPeer();
    const count = 2_000;
    const requests = Array.from({ length: count }, (_, i) =>
      channel.request('delay', { ms: (i * 7919) % 23, value: { i, tag: `r${i}` } }),
    );
    const replies = await within(Promise.all(requests), 20_000, 'replies');
    expect(replies).toEqual(Array.from({ length: count }, (_, i) => ({ i, tag: `r${i}` })));
  });

  it('serves requests from the child to the parent with the same correlation', async () => {
    const { channel } = await forkPeer();
    channel.handle('parentDelay', ({ i }: { i: number }) => new Promise((r) => setTimeout(() => r(i * 2), i % 5)));
    const asks = Array.from({ length: 200 }, (_, i) =>
      channel.request('askParent', { act: 'parentDelay', body: { i } }),
    );
    expect(await Promise.all(asks)).toEqual(Array.from({ length: 200 }, (_, i) => ({ value: i * 2 })));
  });

  it('delivers the callback form with no promise', async () => {
    const { channel } = await forkPeer();
    const value = await new Promise((resolve, reject) => {
      const sent = channel.call('echo', 'cb', undefined, (error, reply) => (error ? reject(error) : resolve(reply)));
      expect(sent).toBe(true);
    });
    expect(value).toBe('cb');
  });

  it('rebuilds remote errors with their class and code', async () => {
    const { channel } = await forkPeer();
    const cases = [
      { name: 'TypeError', message: 'bad type', code: 'ERR_INVALID_ARG_TYPE' },
      { name: 'RangeError', message: 'too big', code: 'ERR_OUT_OF_RANGE' },
      { name: 'Error', message: 'plain' },
      { name: 'SyntaxError', message: 'parse', code: 'E_PARSE' },
    ];
    const ctor = { TypeError, RangeError, Error, SyntaxError } as const;
    for (const act of ['throw', 'reject']) {
      for (const body of cases) {
        const error = await channel.request(act, body).then(
          () => null,
          (e: unknown) => e as Error & { code?: string },
        );
        expect(error).toBeInstanceOf(ctor[body.name as keyof typeof ctor]);
        expect(error?.message).toBe(body.message);
        expect(error?.code).toBe(body.code);
      }
    }
    await expect(channel.request('throwString', null)).rejects.toMatchObject({ message: 'plain string' });
  });

  it('rejects a request for an act nobody handles with ERR_CLUSTER_IPC_UNKNOWN_ACT', async () => {
    const { channel } = await forkPeer();
    await expect(channel.request('nope', null)).rejects.toMatchObject({ code: 'ERR_CLUSTER_IPC_UNKNOWN_ACT' });
  });

  it('rejects a request to a namespace the peer does not have with ERR_CLUSTER_IPC_UNKNOWN_NAMESPACE', async () => {
    const { child } = await forkPeer();
    const other = createChannel(child, { namespace: 'elsewhere' });
    await expect(other.request('echo', null)).rejects.toMatchObject({ code: 'ERR_CLUSTER_IPC_UNKNOWN_NAMESPACE' });
  });

  it('refuses a second channel on the same namespace of one endpoint', async () => {
    const { child } = await forkPeer();
    expect(() => createChannel(child)).toThrow(expect.objectContaining({ code: 'ERR_CLUSTER_IPC_NAMESPACE_IN_USE' }));
  });

  it('reports notification handler errors to onError, and the channel keeps working', async () => {
    const { channel } = await forkPeer();
    channel.notify('noteThrows', null);
    const seen = (await channel.request('seen', null)) as { noteErrors: unknown[] };
    expect(seen.noteErrors).toEqual([{ act: 'noteThrows', message: 'note handler failed' }]);
  });
});

describe('requests that cannot be answered', () => {
  it('rejects at once with ERR_IPC_DISCONNECTED when the peer exits mid-request', async () => {
    const { channel } = await forkPeer();
    const pending = Array.from({ length: 10 }, () => channel.request('never', null));
    const exiting = channel.request('exit', { code: 0 });
    const started = Date.now();
    for (const request of [...pending, exiting]) {
      await expect(within(request, 10_000, 'rejection')).rejects.toMatchObject({ code: 'ERR_IPC_DISCONNECTED' });
    }
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects with ERR_IPC_DISCONNECTED when the peer disconnects mid-request', async () => {
    const { child, channel } = await forkPeer();
    const pending = channel.request('never', null);
    const disconnecting = channel.request('disconnect', null);
    await expect(within(pending)).rejects.toMatchObject({ code: 'ERR_IPC_DISCONNECTED' });
    await expect(within(disconnecting)).rejects.toMatchObject({ code: 'ERR_IPC_DISCONNECTED' });
    await within(once(child, 'exit'));
  });

  it('rejects with ERR_IPC_DISCONNECTED when the peer is killed', async () => {
    const { child, channel } = await forkPeer();
    const pending = channel.request('never', null);
    child.kill('SIGKILL');
    await expect(within(pending)).rejects.toMatchObject({ code: 'ERR_IPC_DISCONNECTED' });
  });

  it('rejects with ERR_IPC_DISCONNECTED in the child when the parent disconnects', async () => {
    const { child, channel, waitForLine } = await forkPeer();
    channel.handle('parentNever', () => new Promise(() => {}));
    await channel.request('askParentLater', { act: 'parentNever', body: null });
    const exit = once(child, 'exit');
    child.disconnect();
    const line = await waitForLine((l) => l.startsWith('ASKED '));
    expect(JSON.parse(line.slice('ASKED '.length))).toMatchObject({ error: { code: 'ERR_IPC_DISCONNECTED' } });
    await within(exit);
  });

  it('rejects with ERR_IPC_CHANNEL_CLOSED on a channel that is already closed, sending nothing', async () => {
    const { child, channel } = await forkPeer();
    const exit = once(child, 'exit');
    child.disconnect();
    await within(exit);
    expect(channel.isOpen).toBe(false);
    let sent: boolean | undefined;
    const error = await new Promise((resolve) => {
      sent = channel.call('echo', null, undefined, resolve);
    });
    expect(sent).toBe(false);
    expect(error).toMatchObject({ code: 'ERR_IPC_CHANNEL_CLOSED' });
    await expect(channel.request('echo', null)).rejects.toMatchObject({ code: 'ERR_IPC_CHANNEL_CLOSED' });
    expect(channel.notify('note', null)).toBe(false);
  });

  it('rejects outstanding requests with ERR_IPC_DISCONNECTED on close(), then later ones with ERR_IPC_CHANNEL_CLOSED', async () => {
    const { channel } = await forkPeer();
    const pending = channel.request('never', null);
    channel.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_IPC_DISCONNECTED' });
    expect(channel.isOpen).toBe(false);
    await expect(channel.request('echo', null)).rejects.toMatchObject({ code: 'ERR_IPC_CHANNEL_CLOSED' });
  });

  it('rejects with ERR_CLUSTER_IPC_TIMEOUT after the timeout, and ignores the late reply', async () => {
    const { channel } = await forkPeer();
    const started = Date.now();
    await expect(channel.request('delay', { ms: 10_000, value: 1 }, { timeout: 50 })).rejects.toMatchObject({
      code: 'ERR_CLUSTER_IPC_TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(channel.request('never', null, { timeout: 0 })).rejects.toMatchObject({
      code: 'ERR_CLUSTER_IPC_TIMEOUT',
    });
    // A reply within the timeout still arrives.
    await expect(channel.request('delay', { ms: 1, value: 'ok' }, { timeout: 5_000 })).resolves.toBe('ok');
  });

  it('times out a request from the child to the parent too', async () => {
    const { channel } = await forkPeer();
    channel.handle('parentNever', () => new Promise(() => {}));
    const reply = await channel.request('askParent', { act: 'parentNever', body: null, timeout: 30 });
    expect(reply).toMatchObject({ error: { code: 'ERR_CLUSTER_IPC_TIMEOUT' } });
  });

  it('refuses a timeout that is not a non-negative number with ERR_OUT_OF_RANGE', async () => {
    const { channel } = await forkPeer();
    await expect(channel.request('echo', null, { timeout: -1 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(channel.request('echo', null, { timeout: Number.NaN })).rejects.toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
    });
  });
});
