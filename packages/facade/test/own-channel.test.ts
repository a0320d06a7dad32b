import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ours } from './helpers.ts';

afterEach(() => killAll());

describe("a user's own @cluster/ipc channel", () => {
  // Regression: the facade is bundled with its own copy of @cluster/ipc; two links on one endpoint
  // answered each other's frames with ERR_CLUSTER_IPC_UNKNOWN_NAMESPACE.
  it('shares the IPC channel with the cluster in both roles', async () => {
    const trace = await ours('own-channel.mjs');
    expect(trace.map(({ event, ...fields }) => [event, fields])).toEqual([
      ['message', { message: { sum: 5 } }],
      ['primary asks', { sum: 42 }],
      ['exit', { code: 0, signal: null }],
    ]);
  });
});
