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

  it('skips a busy worker instead of waiting for it, then resumes the rotation after the one picked', () => {
    const policy = roundRobin();
    const workers = [createTestWorker(1), createTestWorker(2, { busy: true }), createTestWorker(3)];
    expect(policy.pick(workers, anyone)?.id).toBe(1);
    expect(policy.pick(workers, anyone)?.id).toBe(3);
    (workers[1] as { busy: boolean }).busy = false;
    expect(policy.pick(workers, anyone)?.id).toBe(1);
    expect(policy.pick(workers, anyone)?.id).toBe(2);
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
