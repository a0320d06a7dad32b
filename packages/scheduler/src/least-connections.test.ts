import { describe, expect, it } from 'vitest';
import { leastConnections } from './least-connections.ts';
import { createTestConnection, createTestWorker, policyConformanceCases } from './testing.ts';

const anyone = createTestConnection(undefined);

describe('leastConnections conformance', () => {
  for (const testCase of policyConformanceCases(leastConnections)) it(testCase.name, () => testCase.run());
});

describe('leastConnections', () => {
  it('picks the free worker with the fewest open connections', () => {
    const policy = leastConnections();
    const workers = [
      createTestWorker(1, { connections: 5 }),
      createTestWorker(2, { connections: 2 }),
      createTestWorker(3, { connections: 9 }),
    ];
    expect(policy.pick(workers, anyone)?.id).toBe(2);
    expect(policy.pick(workers, anyone)?.id).toBe(2);
  });

  it('passes over a busy worker even when it holds the fewest', () => {
    const policy = leastConnections();
    const workers = [createTestWorker(1, { connections: 0, busy: true }), createTestWorker(2, { connections: 4 })];
    expect(policy.pick(workers, anyone)?.id).toBe(2);
  });

  it('rotates between workers that tie, least recently picked first', () => {
    const policy = leastConnections();
    const workers = [createTestWorker(1), createTestWorker(2), createTestWorker(3)];
    const ids = Array.from({ length: 6 }, () => policy.pick(workers, anyone)?.id);
    expect(ids).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('follows the counts as they change between picks', () => {
    const policy = leastConnections();
    const workers = [createTestWorker(1), createTestWorker(2)];
    const picked: number[] = [];
    for (let i = 0; i < 10; i++) {
      const chosen = policy.pick(workers, anyone) as { id: number; connections: number };
      chosen.connections += chosen.id === 1 ? 3 : 1; // Worker 1's connections stay open longer.
      picked.push(chosen.id);
    }
    expect(picked.filter((id) => id === 2).length).toBeGreaterThan(picked.filter((id) => id === 1).length);
  });
});
