import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './backoff.ts';

const OPTIONS = { initialDelay: 100, factor: 2, maxDelay: 500, minUptime: 1_000, maxRestarts: 5 };

describe('RestartBackoff', () => {
  it('grows the delay by the factor up to its cap, then gives up after maxRestarts failures in a row', () => {
    const backoff = new RestartBackoff(OPTIONS);
    expect([0, 0, 0, 0, 0].map(() => backoff.next(0))).toEqual([100, 200, 400, 500, 500]);
    expect(backoff.failures).toBe(5);
    expect(backoff.next(0)).toBeUndefined();
  });

  it('starts over after a worker that stayed healthy for minUptime', () => {
    const backoff = new RestartBackoff(OPTIONS);
    backoff.next(0);
    backoff.next(999);
    expect(backoff.failures).toBe(2);
    expect(backoff.next(1_000)).toBe(100);
    expect(backoff.failures).toBe(0);
    expect(backoff.next(0)).toBe(100);
  });

  it('forgets its failures on reset (a reload brought a ready worker)', () => {
    const backoff = new RestartBackoff({ ...OPTIONS, maxRestarts: 1 });
    backoff.next(0);
    expect(backoff.next(0)).toBeUndefined();
    backoff.reset();
    expect(backoff.next(0)).toBe(100);
  });
});
