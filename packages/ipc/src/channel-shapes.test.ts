import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createChannel } from './channel.ts';
import { MAX_INVALID_WARNINGS } from './invalid-report.ts';
import { shape } from './shape.ts';
import { FRAME_CMD } from './wire.ts';

/** An endpoint in this process: what the channel sends is recorded, what "arrives" is emitted. */
function fakeEndpoint() {
  const sent: Array<{ message: Record<string, unknown>; handle: unknown }> = [];
  const endpoint = Object.assign(new EventEmitter(), {
    connected: true,
    pid: 4242,
    send(message: Record<string, unknown>, handle: unknown, _options: unknown, callback?: (e: Error | null) => void) {
      sent.push({ message, handle });
      callback?.(null);
      return true;
    },
  });
  const arrive = (frame: Record<string, unknown>, handle?: unknown) =>
    endpoint.emit('internalMessage', { cmd: FRAME_CMD, ns: 'p', ...frame }, handle);
  return { endpoint, sent, arrive };
}

/** A handle stand-in that records being closed. */
const fakeHandle = () => {
  const handle = { closed: 0, close() {} };
  handle.close = () => {
    handle.closed++;
  };
  return handle;
};

const ACTS = {
  open: { body: shape.object({ port: shape.integer(0, 65535) }), reply: shape.object({ key: shape.integer(1) }) },
  take: { body: shape.object({ key: shape.integer(1) }), handle: 'required' as const },
  ping: { body: shape.null },
};

function setup() {
  const { endpoint, sent, arrive } = fakeEndpoint();
  const invalid: Array<{ code: string; message: string }> = [];
  const seen: unknown[] = [];
  const channel = createChannel(endpoint, { namespace: 'p', onInvalid: (error) => invalid.push(error) })
    .declare(ACTS)
    .handle('open', (body) => {
      seen.push(body);
      return { key: 1 };
    })
    .handle('take', (body, handle) => {
      seen.push([body, handle]);
    })
    .handle('ping', () => {
      seen.push('ping');
    })
    .handle('free', (body) => body);
  const replies = () => sent.map(({ message }) => message).filter((message) => message.k === 'res');
  return { channel, endpoint, sent, arrive, invalid, seen, replies };
}

describe('declared act shapes', () => {
  it('runs the handler for a body that fits', () => {
    const { arrive, seen, invalid, replies } = setup();
    arrive({ k: 'req', act: 'open', seq: 1, body: { port: 80 } });
    const handle = fakeHandle();
    arrive({ k: 'note', act: 'take', body: { key: 2 } }, handle);
    expect(seen).toEqual([{ port: 80 }, [{ key: 2 }, handle]]);
    expect(replies()).toEqual([{ cmd: FRAME_CMD, k: 'res', ns: 'p', seq: 1, body: { key: 1 } }]);
    expect(invalid).toEqual([]);
  });

  it('answers a request whose body does not fit with ERR_CLUSTER_IPC_INVALID_FRAME, and does not run the handler', () => {
    const { arrive, seen, invalid, replies } = setup();
    arrive({ k: 'req', act: 'open', seq: 7, body: { port: 'x' } });
    expect(seen).toEqual([]);
    const [reply] = replies();
    expect(reply).toMatchObject({
      seq: 7,
      err: {
        code: 'ERR_CLUSTER_IPC_INVALID_FRAME',
        message: 'Invalid "open" request: body.port: expected an integer from 0 to 65535, got string "x"',
      },
    });
    expect(invalid.map((error) => error.code)).toEqual(['ERR_CLUSTER_IPC_INVALID_FRAME']);
  });

  it('drops a notification whose body does not fit, closing the handle it brought', () => {
    const { arrive, seen, invalid, replies } = setup();
    const handle = fakeHandle();
    arrive({ k: 'note', act: 'take', body: { key: 0 } }, handle);
    arrive({ k: 'note', act: 'take', body: { key: 1 } });
    arrive({ k: 'note', act: 'ping', body: null }, fakeHandle());
    expect(seen).toEqual([]);
    expect(handle.closed).toBe(1);
    expect(replies()).toEqual([]);
    expect(invalid.map((error) => error.message)).toEqual([
      'Invalid "take" notification: body.key: expected an integer from 1 to 9007199254740991, got number 0',
      'Invalid "take" notification: the handle it needs is missing',
      'Invalid "ping" notification: a handle came where none belongs',
    ]);
  });

  it('reports acts it has no handler for, once acts are declared', () => {
    const { arrive, invalid, replies } = setup();
    arrive({ k: 'req', act: 'nope', seq: 3, body: null });
    arrive({ k: 'note', act: 'constructor', body: null });
    expect(replies()).toMatchObject([{ seq: 3, err: { code: 'ERR_CLUSTER_IPC_UNKNOWN_ACT' } }]);
    expect(invalid.map((error) => error.code)).toEqual(['ERR_CLUSTER_IPC_UNKNOWN_ACT', 'ERR_CLUSTER_IPC_UNKNOWN_ACT']);
  });

  it('leaves acts without a declared shape unchecked', () => {
    const { arrive, invalid, replies } = setup();
    arrive({ k: 'req', act: 'free', seq: 4, body: { anything: ['goes'] } });
    expect(replies()).toMatchObject([{ seq: 4, body: { anything: ['goes'] } }]);
    expect(invalid).toEqual([]);
  });

  it('reports a malformed frame of its namespace', () => {
    const { arrive, invalid, seen } = setup();
    const handle = fakeHandle();
    arrive({ k: 'req', act: 'open', seq: 'one', body: { port: 1 } }, handle);
    arrive({ k: 'req', act: 5, seq: 1 });
    expect(seen).toEqual([]);
    expect(handle.closed).toBe(1);
    expect(invalid.map((error) => error.message)).toEqual([
      'Malformed frame: seq: unexpected string',
      'Malformed frame: act: unexpected number',
    ]);
  });

  it('rejects a request whose reply does not fit, closing a handle that came with it', async () => {
    const { channel, arrive, invalid } = setup();
    const first = channel.request('open', { port: 1 });
    arrive({ k: 'res', seq: 1, body: { key: 1 } });
    await expect(first).resolves.toEqual({ key: 1 });

    const handle = fakeHandle();
    const replies: unknown[] = [];
    channel.call('open', { port: 1 }, undefined, (error, value, got) => replies.push([error, value, got]));
    arrive({ k: 'res', seq: 2, body: { key: 1 } }, handle);
    expect(handle.closed).toBe(1);
    const second = channel.request('open', { port: 1 });
    arrive({ k: 'res', seq: 3, body: { key: -1, extra: true } });
    await expect(second).rejects.toMatchObject({ code: 'ERR_CLUSTER_IPC_INVALID_FRAME' });
    expect(replies).toMatchObject([[{ code: 'ERR_CLUSTER_IPC_INVALID_FRAME' }, undefined, undefined]]);
    expect(invalid.map((error) => error.message)).toEqual([
      'Invalid reply to "open": a handle came where none belongs',
      'Invalid reply to "open": body.key: expected an integer from 1 to 9007199254740991, got number -1',
    ]);
  });

  it('closes a handle that came with an error reply', async () => {
    const { channel, arrive } = setup();
    const handle = fakeHandle();
    const request = channel.request('free', null);
    arrive({ k: 'res', seq: 1, err: { name: 'Error', message: 'no' } }, handle);
    await expect(request).rejects.toThrow('no');
    expect(handle.closed).toBe(1);
  });

  it('warns by default, naming the peer, for the first few invalid frames only', async () => {
    const { endpoint, arrive } = fakeEndpoint();
    createChannel(endpoint, { namespace: 'p', peer: 'worker 9' })
      .declare(ACTS)
      .handle('ping', () => {});
    const warnings: Array<Error & { code?: string }> = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < MAX_INVALID_WARNINGS + 5; i++) arrive({ k: 'note', act: 'ping', body: i });
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.length).toBe(MAX_INVALID_WARNINGS);
    expect(warnings[0]).toMatchObject({ name: 'ClusterWarning', code: 'ERR_CLUSTER_IPC_INVALID_FRAME' });
    expect(warnings[0]?.message).toBe(
      'worker 9 sent an invalid frame: Invalid "ping" notification: body: expected null, got number 0',
    );
    expect(warnings.at(-1)?.message).toMatch(/further invalid frames from worker 9 are not reported/);
  });

  it('refuses a declaration that is not a shape', () => {
    const { endpoint } = fakeEndpoint();
    const channel = createChannel(endpoint, { namespace: 'q' });
    expect(() => channel.declare({ a: { body: 5 } } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(() => channel.declare(null as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });
});
