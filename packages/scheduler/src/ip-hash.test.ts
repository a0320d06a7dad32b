import { describe, expect, it } from 'vitest';
import { ipHash } from './ip-hash.ts';
import { createTestConnection, createTestWorker, policyConformanceCases } from './testing.ts';

const addresses = Array.from({ length: 400 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`);

describe('ipHash conformance', () => {
  for (const testCase of policyConformanceCases(ipHash)) it(testCase.name, () => testCase.run());
});

describe('ipHash', () => {
  it('sends the same client address to the same worker every time', () => {
    const policy = ipHash();
    const workers = [1, 2, 3, 4].map((id) => createTestWorker(id));
    for (const address of addresses.slice(0, 50)) {
      const first = policy.pick(workers, createTestConnection(address))?.id;
      for (let i = 0; i < 5; i++) expect(policy.pick(workers, createTestConnection(address))?.id).toBe(first);
    }
  });

  it('spreads many addresses over every worker', () => {
    const policy = ipHash();
    const workers = [1, 2, 3, 4].map((id) => createTestWorker(id));
    const counts = new Map<number, number>();
    for (const address of addresses) {
      const id = policy.pick(workers, createTestConnection(address))?.id as number;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.size).toBe(4);
    for (const count of counts.values()) expect(count).toBeGreaterThan(addresses.length / 8);
  });

  it('moves only the clients of a worker that leaves', () => {
    const policy = ipHash();
    const workers = [1, 2, 3, 4].map((id) => createTestWorker(id));
    const before = new Map(addresses.map((a) => [a, policy.pick(workers, createTestConnection(a))?.id]));
    const remaining = workers.filter((worker) => worker.id !== 3);
    policy.remove?.(workers[2] as (typeof workers)[number]);
    for (const address of addresses) {
      const after = policy.pick(remaining, createTestConnection(address))?.id;
      if (before.get(address) !== 3) expect(after).toBe(before.get(address));
      else expect(after).not.toBe(3);
    }
  });

  it('holds a connection for its worker while that worker is busy', () => {
    const policy = ipHash();
    const workers = [1, 2].map((id) => createTestWorker(id));
    const address = addresses[0] as string;
    const owner = policy.pick(workers, createTestConnection(address)) as { busy: boolean };
    owner.busy = true;
    expect(policy.pick(workers, createTestConnection(address))).toBeUndefined();
  });

  it('spreads connections without an address over the free workers in turn', () => {
    const policy = ipHash();
    const workers = [1, 2, 3].map((id) => createTestWorker(id));
    const ids = Array.from({ length: 6 }, () => policy.pick(workers, createTestConnection(undefined))?.id);
    expect(ids).toEqual([1, 2, 3, 1, 2, 3]);
  });
});
