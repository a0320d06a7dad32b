import { killAll, traceOf } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsNamed, fixture, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

const TOTAL = 400;

describe('nothing lost when workers die under load (SCHED_RR)', () => {
  it('ends every one of many short connections served or closed, none hanging, while workers are killed', async () => {
    const trace = await traceOf(fixture('ports-load.mjs'), 'ours', {
      args: ['churn'],
      env: { ...OURS, PORTS_TOTAL: String(TOTAL) },
      timeout: 60_000,
    });
    const [churn] = eventsNamed(trace, 'churn');
    expect(churn).toMatchObject({ total: TOTAL, hung: 0 });
    expect(churn?.served).toBeGreaterThan(TOTAL / 2);
    expect(eventsNamed(trace, 'disconnected')).toHaveLength(1);
  }, 70_000);

  it('hands a connection in flight to a worker that dies to another worker (node:cluster leaves it hanging)', async () => {
    const trace = await traceOf(fixture('ports-load.mjs'), 'ours', { args: ['inflight'], env: OURS });
    expect(trace).toEqual([{ event: 'inflight', outcomes: [2, 2, 2, 2] }, { event: 'disconnected' }]);
  });
});
