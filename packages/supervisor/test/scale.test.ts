import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { get, IMPLS, startPrimary } from './helpers.ts';

afterEach(() => killAll());

describe.each(IMPLS)('scale() on %s', (impl) => {
  it('adds slots with their number in the environment, and removes the highest by draining them', async () => {
    const primary = await startPrimary(impl, { options: { workers: 2 }, env: { SCALE_TO: '3,1' } });
    primary.signal('SIGUSR2');
    const up = await primary.waitFor('scaled');
    expect(up.states).toEqual(['ready', 'ready', 'ready']);
    const slots = new Set<string>();
    for (let i = 0; i < 30 && slots.size < 3; i++) {
      const answer = await get(primary.port);
      // NODE_APP_INSTANCE and CLUSTER_SLOT both carry it.
      expect(answer.body?.trim().split(' ')[2]).toBe(answer.slot);
      slots.add(answer.slot as string);
    }
    expect([...slots].sort()).toEqual(['0', '1', '2']);

    // A slow request on each worker; scaling down drains two of them, and every request completes.
    const slow = [0, 1, 2].map(() => get(primary.port, '/slow?ms=1500'));
    await expect.poll(() => primary.script.stdout.filter((line) => line.startsWith('SLOW ')).length).toBe(3);
    primary.signal('SIGUSR2');
    const down = await primary.waitFor('scaled', (entry) => (entry.pids as number[]).length === 1);
    expect(down.states).toEqual(['ready']);
    const answers = await Promise.all(slow);
    expect(answers.map((answer) => answer.error)).toEqual([undefined, undefined, undefined]);
    const drained = primary
      .trace()
      .filter((entry) => entry.event === 'drain')
      .map((entry) => entry.slot);
    expect(drained.sort()).toEqual([1, 2]);
    expect(
      primary
        .trace()
        .filter((entry) => entry.event === 'exit')
        .every((entry) => entry.expected === true),
    ).toBe(true);
    expect(primary.trace().find((entry) => entry.event === 'scale' && entry.to === 1)).toMatchObject({ from: 3 });
  }, 30_000);
});
