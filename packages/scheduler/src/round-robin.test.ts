import { describe, expect, it } from 'vitest';
import { roundRobin } from './round-robin.ts';

const connection = { remoteAddress: undefined };
const load = (id: number, busy = false) => ({ id, busy, connections: 0, handed: 0 });

describe('roundRobin', () => {
  it('takes turns by worker id when the workers joined out of order', () => {
    const policy = roundRobin();
    const workers = [load(2), load(1)];
    const picks = Array.from({ length: 4 }, () => policy.pick(workers, connection)?.id);
    expect(picks).toEqual([1, 2, 1, 2]);
  });

  it('skips a busy worker instead of waiting for it', () => {
    const policy = roundRobin();
    expect(policy.pick([load(1, true), load(2)], connection)?.id).toBe(2);
  });
});
