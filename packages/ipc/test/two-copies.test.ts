import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { withHandle } from '@cluster/ipc';
import { afterEach, describe, expect, it } from 'vitest';
import { forkPeer, killPeers } from './peer.ts';

afterEach(killPeers);

/** Another instance of this package's build in the same process, as one file loaded under two paths gives. */
async function secondCopy(): Promise<typeof import('@cluster/ipc')> {
  const file = createRequire(import.meta.url).resolve('@cluster/ipc');
  return import(/* @vite-ignore */ `${pathToFileURL(file).href}?second-copy`);
}

describe('two copies of the package in one process', () => {
  it("sends a reply that the other copy's withHandle() built as that reply (regression: it went out wrapped)", async () => {
    const other = await secondCopy();
    expect(other.withHandle).not.toBe(withHandle);
    const { channel } = await forkPeer();
    channel.handle('wrapped', () => other.withHandle({ ok: 1 }, undefined));
    channel.handle('then', () => other.replyThen({ ok: 2 }, () => {}));
    expect(await channel.request('askParent', { act: 'wrapped', body: null })).toEqual({ value: { ok: 1 } });
    expect(await channel.request('askParent', { act: 'then', body: null })).toEqual({ value: { ok: 2 } });
  });
});
