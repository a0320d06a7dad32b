import { guardUserSend, sendUserMessage } from '@cluster/ipc';
import { afterEach, describe, expect, it } from 'vitest';
import { collectMessages, forkPeer, killPeers } from './peer.ts';

afterEach(killPeers);

const lookalikes = [
  { cmd: 'NODE_CLUSTER_IPC', k: 'req', ns: 'default', act: 'exit', seq: 1, body: { code: 7 } },
  { cmd: 'NODE_CLUSTER_IPC', k: 'note', ns: 'default', act: 'note', body: 'forged' },
  { cmd: 'NODE_CLUSTER_IPC', k: 'user', body: 'nested' },
  { cmd: 'NODE_HANDLE_ACK' },
  { cmd: 'NODE_CLUSTER', act: 'online' },
];

describe('internal frames and user messages', () => {
  it("keeps frames away from the child's 'message' listeners", async () => {
    const { child, channel } = await forkPeer();
    channel.notify('note', 'a note');
    child.send({ user: 1 });
    await channel.request('echo', { big: 'x'.repeat(1000) });
    child.send('two');
    await channel.request('delay', { ms: 1, value: 1 });
    const seen = (await channel.request('seen', null)) as { userMessages: unknown[]; notes: unknown[] };
    expect(seen.userMessages).toEqual([{ user: 1 }, 'two']);
    expect(seen.notes).toEqual(['a note']);
  });

  it("keeps frames away from the parent's 'message' listeners", async () => {
    const { child, channel } = await forkPeer();
    const seen = collectMessages(child);
    const notes: unknown[] = [];
    channel.handle('fromChild', (body) => {
      notes.push(body);
    });
    channel.handle('parentEcho', (body) => body);
    await channel.request('notifyParent', { act: 'fromChild', body: 'hi' });
    await channel.request('askParent', { act: 'parentEcho', body: 'ping' });
    await channel.request('sendUser', { messages: [{ user: true }] });
    await channel.request('echo', null);
    expect(seen).toEqual([{ user: true }]);
    expect(notes).toEqual(['hi']);
  });

  it('delivers user messages that look like frames to the child user, with guardUserSend', async () => {
    const { child, channel } = await forkPeer();
    guardUserSend(child);
    for (const message of lookalikes) child.send(message);
    sendUserMessage(child, { cmd: 'NODE_CLUSTER_IPC', k: 'note', ns: 'default', act: 'note', body: 'via helper' });
    const seen = (await channel.request('seen', null)) as { userMessages: unknown[]; notes: unknown[] };
    expect(seen.userMessages).toEqual([
      ...lookalikes,
      { cmd: 'NODE_CLUSTER_IPC', k: 'note', ns: 'default', act: 'note', body: 'via helper' },
    ]);
    // Not acted on: no note recorded, and the forged `exit` did not end the child.
    expect(seen.notes).toEqual([]);
    expect(child.exitCode).toBeNull();
  });

  it('delivers user messages that look like frames to the parent user, with guardUserSend in the child', async () => {
    const { child, channel } = await forkPeer({ guard: true });
    const seen = collectMessages(child);
    let forged = 0;
    channel.handle('exit', () => {
      forged++;
    });
    const messages = lookalikes.map((m) => ({ ...m, ns: 'default', act: 'exit' }));
    await channel.request('sendUser', { messages });
    await channel.request('echo', null);
    expect(seen).toEqual(messages);
    expect(forged).toBe(0);
  });

  it('passes a guarded send callback and handle arguments through', async () => {
    const { child, channel } = await forkPeer();
    guardUserSend(child);
    guardUserSend(child); // idempotent
    const error = await new Promise<Error | null>((resolve) => child.send({ cmd: 'NODE_X' }, resolve));
    expect(error).toBeNull();
    const seen = (await channel.request('seen', null)) as { userMessages: unknown[] };
    expect(seen.userMessages).toEqual([{ cmd: 'NODE_X' }]);
  });
});
