import { createChannel } from '@cluster/ipc';
import { afterEach, describe, expect, it } from 'vitest';
import { forkPeer, killPeers } from './peer.ts';

afterEach(killPeers);

const CMD = 'NODE_CLUSTER_IPC';
const HUGE = 'h'.repeat(16 * 1024 * 1024);
// Replies to these land on nothing: no request of ours has such a sequence number.
const STRAY_SEQ = 1_000_000_000;

function hostileFrames(serialization: 'json' | 'advanced'): unknown[] {
  const frames: unknown[] = [
    // Unknown kinds.
    { cmd: CMD },
    { cmd: CMD, k: 'zzz', ns: 'default', act: 'echo', seq: STRAY_SEQ, body: 1 },
    { cmd: CMD, k: 5 },
    { cmd: CMD, k: null },
    { cmd: CMD, k: ['req'] },
    // Missing fields.
    { cmd: CMD, k: 'req' },
    { cmd: CMD, k: 'req', ns: 'default', act: 'exit', body: { code: 3 } },
    { cmd: CMD, k: 'note', ns: 'default' },
    { cmd: CMD, k: 'res' },
    { cmd: CMD, k: 'user' },
    // Wrong types.
    { cmd: CMD, k: 'req', ns: 5, act: 'exit', seq: STRAY_SEQ, body: { code: 3 } },
    { cmd: CMD, k: 'req', ns: 'default', act: { toString: 'exit' }, seq: STRAY_SEQ },
    { cmd: CMD, k: 'req', ns: 'default', act: 'exit', seq: '1', body: { code: 3 } },
    { cmd: CMD, k: 'req', ns: 'default', act: 'exit', seq: 1.5, body: { code: 3 } },
    { cmd: CMD, k: 'req', ns: 'default', act: 'exit', seq: -0.1, body: { code: 3 } },
    { cmd: CMD, k: 'res', ns: 'default', seq: STRAY_SEQ, err: 'boom' },
    { cmd: CMD, k: 'res', ns: 'default', seq: STRAY_SEQ, err: { name: 5, message: [] } },
    { cmd: CMD, k: 'note', ns: ['default'], act: 'exit', body: { code: 3 } },
    // Prototype games: own `__proto__` keys, and names that live on Object.prototype.
    JSON.parse(
      `{"cmd":"${CMD}","k":"req","ns":"default","act":"echo","seq":${STRAY_SEQ},"body":{"__proto__":{"polluted":"yes"}},"__proto__":{"polluted":"yes"}}`,
    ),
    JSON.parse(`{"cmd":"${CMD}","k":"note","ns":"default","act":"note","body":{"__proto__":{"polluted":"yes"}}}`),
    JSON.parse(`{"cmd":"${CMD}","__proto__":{"k":"req","ns":"default","act":"exit","seq":1,"body":{"code":3}}}`),
    { cmd: CMD, k: 'req', ns: '__proto__', act: 'echo', seq: STRAY_SEQ },
    { cmd: CMD, k: 'req', ns: 'default', act: '__proto__', seq: STRAY_SEQ },
    { cmd: CMD, k: 'req', ns: 'default', act: 'constructor', seq: STRAY_SEQ },
    { cmd: CMD, k: 'req', ns: 'default', act: 'hasOwnProperty', seq: STRAY_SEQ },
    { cmd: CMD, k: 'note', ns: 'constructor', act: 'toString' },
    { cmd: CMD, k: 'res', ns: 'default', seq: STRAY_SEQ, err: { name: '__proto__', message: 'x' } },
    // Huge payloads: one nobody takes, one a handler takes.
    { cmd: CMD, k: 'note', ns: 'default', act: 'nobodyHere', body: HUGE },
    { cmd: CMD, k: 'note', ns: 'default', act: 'note', body: HUGE },
    // Other NODE_ traffic that is not ours is left alone.
    { cmd: 'NODE_SOMETHING_ELSE', k: 'req', ns: 'default', act: 'exit', seq: 1 },
  ];
  if (serialization === 'advanced') {
    frames.push(
      { cmd: CMD, k: 'req', ns: 'default', act: 'exit', seq: 1n, body: { code: 3 } },
      { cmd: CMD, k: 'req', ns: new Map([['default', 1]]), act: 'exit', seq: 1 },
      { cmd: CMD, k: 'note', ns: 'default', act: new String('exit') },
      { cmd: CMD, k: new Set(['req']), ns: 'default', act: 'exit', seq: 1 },
    );
  }
  return frames;
}

describe.each(['json', 'advanced'] as const)('hostile %s input', (serialization) => {
  it('is ignored by the child, which keeps serving and keeps its prototypes clean', async () => {
    const { child, channel } = await forkPeer({ serialization });
    const before = (await channel.request('protoCheck', null)) as { prototypeKeys: number };
    for (const frame of hostileFrames(serialization)) child.send(frame as never);
    await expect(channel.request('echo', 'alive')).resolves.toBe('alive');
    const seen = (await channel.request('seen', null)) as { notes: unknown[] };
    expect(seen.notes.length).toBe(2);
    expect((seen.notes[1] as string).length).toBe(HUGE.length);
    expect(Object.getPrototypeOf(seen.notes[0])).toBe(Object.prototype);
    expect(await channel.request('protoCheck', null)).toEqual({ prototypeKeys: before.prototypeKeys, polluted: null });
    expect(child.exitCode).toBeNull();
  });

  it('is ignored by the parent, which keeps serving and keeps its prototypes clean', async () => {
    const { channel } = await forkPeer({ serialization });
    const keys = Object.getOwnPropertyNames(Object.prototype).length;
    let exits = 0;
    const notes: unknown[] = [];
    channel.handle('exit', () => {
      exits++;
    });
    channel.handle('note', (body) => {
      notes.push(body);
    });
    await channel.request('rawSend', { messages: hostileFrames(serialization) });
    await expect(channel.request('echo', 'alive')).resolves.toBe('alive');
    expect(exits).toBe(0);
    expect(notes.length).toBe(2);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).length).toBe(keys);
  });

  it('ends a waiting request with ERR_CLUSTER_IPC_INVALID_FRAME when its reply carries a malformed error', async () => {
    const { child, channel } = await forkPeer({ serialization });
    await channel.request('openH', null);
    const h = createChannel(child, { namespace: 'h' });
    // Seq 1 and 2 of a fresh channel; caught at once, since they settle before we look.
    const first = h.request('hang', null).catch((e: unknown) => e);
    const second = h.request('hang', null).catch((e: unknown) => e);
    await channel.request('rawSend', {
      messages: [
        { cmd: CMD, k: 'res', ns: 'h', seq: 1, err: { name: '__proto__', message: 42 } },
        { cmd: CMD, k: 'res', ns: 'h', seq: 2, err: { name: 'constructor', message: 'odd', code: 'E_ODD' } },
      ],
    });
    expect(await first).toMatchObject({ code: 'ERR_CLUSTER_IPC_INVALID_FRAME' });
    const error = await second;
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'constructor', message: 'odd', code: 'E_ODD' });
    expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
  });
});
