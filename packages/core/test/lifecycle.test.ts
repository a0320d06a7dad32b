import { fileURLToPath } from 'node:url';
import { byWorker, killAll, traceBoth } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

afterEach(() => killAll());

describe('worker lifecycle through @cluster/core', () => {
  it('emits no listening for a server closed by a worker that disconnects in its listen callback', async () => {
    const { node, ours } = await traceBoth(`${fixtures}disconnect-in-listen-callback.mjs`);
    expect(byWorker(node)).toEqual({ '1': ['online', 'disconnect', 'exit'] });
    expect(byWorker(ours)).toEqual(byWorker(node));
  });
});
