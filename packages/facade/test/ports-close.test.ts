import { killAll, traceBoth } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

describe.each(['rr', 'none'])('closing shared servers under %s, side by side with node:cluster', (sched) => {
  it('releases a share on close, closes the listener with the last worker, and listens again', async () => {
    const { node, ours } = await traceBoth(fixture('ports-close.mjs'), {
      env: { ...OURS, NODE_CLUSTER_SCHED_POLICY: sched },
    });
    // Under SCHED_NONE the kernel picks the accepting worker, so which workers served both is up to it.
    const stable = (trace: typeof ours) =>
      trace.map((entry) =>
        sched === 'none' && entry.event === 'served' && entry.phase !== 'after-one-closed'
          ? { ...entry, by: 'kernel' }
          : entry,
      );
    expect(stable(ours)).toEqual(stable(node));
    expect(stable(ours)).toEqual([
      { event: 'listening', samePort: true },
      { event: 'served', phase: 'both', by: sched === 'rr' ? [1, 2] : 'kernel' },
      { event: 'served', phase: 'after-one-closed', by: [2] },
      { event: 'port', afterLastClosed: 'free' },
      { event: 'listening-again', samePort: true },
      { event: 'served', phase: 'again', by: sched === 'rr' ? [1, 2] : 'kernel' },
      { event: 'disconnected' },
    ]);
    for (const entry of ours.filter((e) => e.event === 'served')) {
      expect((entry.by as number[]).every((id) => id === 1 || id === 2)).toBe(true);
    }
  });
});
