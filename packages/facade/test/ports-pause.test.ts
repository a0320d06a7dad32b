import { killAll, traceOf } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

describe('cluster.pauseConnections(worker)', () => {
  it('hands a paused worker no new connections until it is resumed (SCHED_RR)', async () => {
    const trace = await traceOf(fixture('ports-pause.mjs'), 'ours', { env: OURS, timeout: 20_000 });
    expect(trace.find((entry) => entry.event === 'paused')).toMatchObject({ 1: 0, 2: 6 });
    expect(trace.find((entry) => entry.event === 'resumed')).toMatchObject({ 1: 3, 2: 3 });
    expect(trace.find((entry) => entry.event === 'bad argument')).toEqual({
      event: 'bad argument',
      code: 'ERR_INVALID_ARG_TYPE',
      type: 'TypeError',
    });
  });
});
