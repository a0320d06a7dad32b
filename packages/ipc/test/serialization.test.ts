import { afterEach, describe, expect, it } from 'vitest';
import { forkPeer, killPeers } from './peer.ts';

afterEach(killPeers);

function richValue() {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  return {
    map: new Map<unknown, unknown>([
      ['a', 1],
      [2, { b: [3] }],
    ]),
    set: new Set(['x', 'y', 3]),
    bytes: new Uint8Array([1, 2, 255]),
    floats: new Float64Array([0.5, -1, Number.POSITIVE_INFINITY]),
    big: 2n ** 70n,
    date: new Date('2026-01-02T03:04:05.678Z'),
    circular,
    nested: [new Map([['k', new Set([1n])]])],
  };
}

function expectRich(value: unknown): void {
  const got = value as ReturnType<typeof richValue>;
  expect(got.map).toBeInstanceOf(Map);
  expect([...got.map]).toEqual([
    ['a', 1],
    [2, { b: [3] }],
  ]);
  expect(got.set).toEqual(new Set(['x', 'y', 3]));
  expect(got.bytes).toBeInstanceOf(Uint8Array);
  expect([...got.bytes]).toEqual([1, 2, 255]);
  expect(got.floats).toBeInstanceOf(Float64Array);
  expect([...got.floats]).toEqual([0.5, -1, Number.POSITIVE_INFINITY]);
  expect(got.big).toBe(2n ** 70n);
  expect(got.date).toBeInstanceOf(Date);
  expect(got.date.toISOString()).toBe('2026-01-02T03:04:05.678Z');
  expect(got.circular.self).toBe(got.circular);
  expect(got.nested[0]?.get('k')).toEqual(new Set([1n]));
}

describe("'advanced' serialization", () => {
  it('carries Map, Set, typed arrays, BigInt, Date and circular values both ways intact', async () => {
    const { channel } = await forkPeer({ serialization: 'advanced' });
    expectRich(await channel.request('echo', richValue()));

    channel.handle('parentEcho', (body) => body);
    const asked = (await channel.request('askParent', { act: 'parentEcho', body: richValue() })) as { value: unknown };
    expectRich(asked.value);

    channel.notify('note', richValue());
    const seen = (await channel.request('seen', null)) as { notes: unknown[] };
    expectRich(seen.notes[0]);
  });

  it('rejects a function with ERR_CLUSTER_IPC_UNSERIALIZABLE, going and coming back', async () => {
    const { channel } = await forkPeer({ serialization: 'advanced' });
    await expect(channel.request('echo', { f() {} })).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_CLUSTER_IPC_UNSERIALIZABLE',
    });
    await expect(channel.request('fn', null)).rejects.toMatchObject({ code: 'ERR_CLUSTER_IPC_UNSERIALIZABLE' });
    await expect(channel.request('echo', 'still open')).resolves.toBe('still open');
  });
});

describe("'json' serialization", () => {
  it('rejects a request it cannot carry (BigInt, circular) with ERR_CLUSTER_IPC_UNSERIALIZABLE', async () => {
    const { channel } = await forkPeer({ serialization: 'json' });
    const error = await channel.request('echo', { n: 1n }).then(
      () => null,
      (e: unknown) => e as Error & { code?: string; cause?: unknown },
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.code).toBe('ERR_CLUSTER_IPC_UNSERIALIZABLE');
    expect(error?.message).toMatch(/"echo".*BigInt/);
    expect(error?.cause).toBeInstanceOf(TypeError);

    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(channel.request('echo', circular)).rejects.toMatchObject({ code: 'ERR_CLUSTER_IPC_UNSERIALIZABLE' });
    await expect(channel.request('echo', 'still open')).resolves.toBe('still open');
  });

  it('rejects the callback form without throwing, and returns false', async () => {
    const { channel } = await forkPeer({ serialization: 'json' });
    let sent: boolean | undefined;
    const error = await new Promise((resolve) => {
      sent = channel.call('echo', 1n, undefined, resolve);
    });
    expect(sent).toBe(false);
    expect(error).toMatchObject({ code: 'ERR_CLUSTER_IPC_UNSERIALIZABLE' });
  });

  it('throws ERR_CLUSTER_IPC_UNSERIALIZABLE from notify', async () => {
    const { channel } = await forkPeer({ serialization: 'json' });
    expect(() => channel.notify('note', { n: 1n })).toThrow(
      expect.objectContaining({ code: 'ERR_CLUSTER_IPC_UNSERIALIZABLE' }),
    );
    channel.notify('note', 'next');
    expect(((await channel.request('seen', null)) as { notes: unknown[] }).notes).toEqual(['next']);
  });

  it('turns a reply it cannot carry into a remote ERR_CLUSTER_IPC_UNSERIALIZABLE instead of crashing the peer', async () => {
    const { child, channel } = await forkPeer({ serialization: 'json' });
    await expect(channel.request('bigint', null)).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_CLUSTER_IPC_UNSERIALIZABLE',
    });
    await expect(channel.request('echo', 'alive')).resolves.toBe('alive');
    expect(child.exitCode).toBeNull();
  });

  it('carries what JSON carries, as JSON does', async () => {
    const { channel } = await forkPeer({ serialization: 'json' });
    const value = { s: 'é\u2028\n', n: 1.5, list: [null, true], date: new Date(0), nested: { deep: [{}] } };
    expect(await channel.request('echo', value)).toEqual(JSON.parse(JSON.stringify(value)));
  });
});
