import { describe, expect, it } from 'vitest';
import { createTestConnection, createTestWorker, policyConformanceCases } from './testing.ts';
import { weighted } from './weighted.ts';

const anyone = createTestConnection(undefined);

function share(picks: Array<number | undefined>): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const id of picks) if (id !== undefined) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

describe('weighted conformance', () => {
  for (const testCase of policyConformanceCases(() => weighted({ weights: { 1: 3, 2: 1 } })))
    it(testCase.name, () => testCase.run());
});

describe('weighted', () => {
  it('hands out connections in proportion to the weights', () => {
    const policy = weighted({ weights: { 1: 5, 2: 3, 3: 2 } });
    const workers = [1, 2, 3].map((id) => createTestWorker(id));
    const picks = Array.from({ length: 100 }, () => policy.pick(workers, anyone)?.id);
    expect(share(picks)).toEqual({ 1: 50, 2: 30, 3: 20 });
  });

  it('interleaves instead of sending bursts (smooth weighted round-robin)', () => {
    const policy = weighted({ weights: { 1: 5, 2: 1, 3: 1 } });
    const workers = [1, 2, 3].map((id) => createTestWorker(id));
    const picks = Array.from({ length: 7 }, () => policy.pick(workers, anyone)?.id);
    expect(picks).toEqual([1, 1, 2, 1, 3, 1, 1]);
  });

  it('gives workers it does not name the default weight, and accepts a function', () => {
    const byFunction = weighted({ weights: (id) => (id === 1 ? 3 : Number.NaN), defaultWeight: 1 });
    const workers = [1, 2].map((id) => createTestWorker(id));
    const picks = Array.from({ length: 40 }, () => byFunction.pick(workers, anyone)?.id);
    expect(share(picks)).toEqual({ 1: 30, 2: 10 });
    const byRecord = weighted({ weights: { 1: 2 }, defaultWeight: 2 });
    expect(share(Array.from({ length: 10 }, () => byRecord.pick(workers, anyone)?.id))).toEqual({ 1: 5, 2: 5 });
  });

  it('shares among the free workers while one is busy', () => {
    const policy = weighted({ weights: { 1: 1, 2: 1, 3: 2 } });
    const workers = [createTestWorker(1), createTestWorker(2, { busy: true }), createTestWorker(3)];
    const picks = Array.from({ length: 30 }, () => policy.pick(workers, anyone)?.id);
    expect(share(picks)).toEqual({ 1: 10, 3: 20 });
  });
});
