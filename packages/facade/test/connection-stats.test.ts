import { killAll, traceOf } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

const listener = { mode: 'rr', transport: 'tcp', address: '127.0.0.1', workers: 2 };

describe('cluster.connectionStats()', () => {
  it('counts the connections each worker holds and those handed to it (SCHED_RR), then none once closed', async () => {
    const trace = await traceOf(fixture('connection-stats.mjs'), 'ours', { args: ['rr'], env: OURS });
    expect(trace).toEqual([
      { event: 'before', stats: [] },
      { event: 'held', port: true, listeners: [listener], open: 5, handed: 5, ids: [1, 2] },
      { event: 'closed', open: 0 },
      { event: 'after', stats: [] },
    ]);
  });

  it('counts the connections workers accepted themselves under SCHED_NONE (handed is null)', async () => {
    const trace = await traceOf(fixture('connection-stats.mjs'), 'ours', { args: ['none'], env: OURS });
    expect(trace).toEqual([
      { event: 'before', stats: [] },
      { event: 'held', port: true, listeners: [{ ...listener, mode: 'shared' }], open: 5, handed: null, ids: [1, 2] },
      { event: 'closed', open: 0 },
      { event: 'after', stats: [] },
    ]);
  });
});
