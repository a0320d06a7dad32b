import { describe, expect, it } from 'vitest';
import { roundRobin } from './round-robin.ts';
import { createTestConnection, createTestWorker, policyConformanceCases } from './testing.ts';

const anyone = createTestConnection(undefined);

describe('roundRobin conformance', () => {
  for (const testCase of policyConformanceCases(roundRobin)) it(testCase.name, () => testCase.run());
});

describe('roundRobin', () => {
  it('hands connections to the workers in turn, in the order they joined', () => {
    const policy = roundRobin();
    const workers = [createTestWorker(1), createTestWorker(2), createTestWorker(3)];
    const ids = Array.from({ length: 7 }, () => policy.pick(workers, anyone)?.id);
    expect(ids).toEqual([1, 2, 3, 1, 2, 3, 1]);
  });

  it('skips a busy worker instead of waiting for it, and gives it the next turn once it is free', () => {
    const policy = roundRobin();
    const workers = [createTestWorker(1), createTestWorker(2), createTestWorker(3)];
    expect([1, 2, 3].map(() => policy.pick(workers, anyone)?.id)).toEqual([1, 2, 3]);
    (workers[0] as { busy: boolean }).busy = true;
    expect([1, 2, 3].map(() => policy.pick(workers, anyone)?.id)).toEqual([2, 3, 2]);
    (workers[0] as { busy: boolean }).busy = false;
    expect([1, 2, 3].map(() => policy.pick(workers, anyone)?.id)).toEqual([1, 3, 2]);
  });

  it('rotates in the order workers joined, whatever their ids (regression: ids 2 then 1 served only 2)', () => {
    const policy = roundRobin();
    const workers = [createTestWorker(2), createTestWorker(1), createTestWorker(7)];
    const ids = Array.from({ length: 6 }, () => policy.pick(workers, anyone)?.id);
    expect(ids).toEqual([2, 1, 7, 2, 1, 7]);
  });

  it('puts a worker that joins later at the front, as Node adds it to its free list', () => {
    const policy = roundRobin();
    const workers = [createTestWorker(1), createTestWorker(2)];
    expect(policy.pick(workers, anyone)?.id).toBe(1);
    workers.push(createTestWorker(3));
    expect([2, 3, 1, 2].map(() => policy.pick(workers, anyone)?.id)).toEqual([2, 3, 1, 2]);
  });

  it('continues with the next id when the worker whose turn it was left', () => {
    const policy = roundRobin();
    let workers = [createTestWorker(1), createTestWorker(2), createTestWorker(3)];
    expect(policy.pick(workers, anyone)?.id).toBe(1);
    workers = workers.filter((worker) => worker.id !== 2);
    expect(policy.pick(workers, anyone)?.id).toBe(3);
    expect(policy.pick(workers, anyone)?.id).toBe(1);
  });
});
