import { killAll, traceBoth, traceOf } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

describe('handoffs a worker declines (SCHED_RR)', () => {
  it('re-queues a connection declined at maxConnections to another worker, as node:cluster does', async () => {
    const { node, ours } = await traceBoth(fixture('ports-decline.mjs'), { args: ['one'], env: OURS });
    expect(ours).toEqual(node);
    expect(ours).toEqual([{ event: 'outcomes', outcomes: [2, 2, 2, 2, 2, 2] }, { event: 'disconnected' }]);
  });

  it('closes a connection every worker declined instead of bouncing it forever (node:cluster leaves it hanging)', async () => {
    const ours = await traceOf(fixture('ports-decline.mjs'), 'ours', { args: ['all'], env: OURS });
    expect(ours).toEqual([
      { event: 'outcomes', outcomes: ['closed', 'closed', 'closed', 'closed', 'closed', 'closed'] },
      { event: 'disconnected' },
    ]);
  });
});
