import { describe, expect, it } from 'vitest';
import { powerOfTwo } from './power-of-two.ts';
import { createTestConnection, createTestWorker, policyConformanceCases } from './testing.ts';

const anyone = createTestConnection(undefined);

/** Returns the given numbers in order, then repeats them. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe('powerOfTwo conformance', () => {
  for (const testCase of policyConformanceCases(() => powerOfTwo())) it(testCase.name, () => testCase.run());
});

describe('powerOfTwo', () => {
  it('samples two distinct workers and hands the connection to the less loaded one', () => {
    const workers = [
      createTestWorker(1, { connections: 8 }),
      createTestWorker(2, { connections: 1 }),
      createTestWorker(3, { connections: 4 }),
    ];
    // First draw: index 0 of 3; second draw: index 0 of the 2 others, i.e. worker 2.
    expect(powerOfTwo({ random: sequence(0, 0) }).pick(workers, anyone)?.id).toBe(2);
    // Workers 1 and 3: 3 has fewer.
    expect(powerOfTwo({ random: sequence(0, 0.99) }).pick(workers, anyone)?.id).toBe(3);
    // Workers 3 and 2: 2 has fewer.
    expect(powerOfTwo({ random: sequence(0.99, 0.5) }).pick(workers, anyone)?.id).toBe(2);
  });

  it('keeps the first sample when both hold as many connections', () => {
    const workers = [createTestWorker(1, { connections: 2 }), createTestWorker(2, { connections: 2 })];
    expect(powerOfTwo({ random: sequence(0.99, 0) }).pick(workers, anyone)?.id).toBe(2);
  });

  it('samples only free workers', () => {
    const workers = [
      createTestWorker(1, { connections: 0, busy: true }),
      createTestWorker(2, { connections: 5 }),
      createTestWorker(3, { connections: 6 }),
    ];
    const policy = powerOfTwo({ random: sequence(0, 0) });
    for (let i = 0; i < 4; i++) expect(policy.pick(workers, anyone)?.id).toBe(2);
  });

  it('never samples the same worker twice, even when random returns its largest values', () => {
    const workers = [createTestWorker(1, { connections: 3 }), createTestWorker(2, { connections: 0 })];
    expect(powerOfTwo({ random: sequence(0.9999999, 0.9999999) }).pick(workers, anyone)?.id).toBe(2);
    expect(powerOfTwo({ random: sequence(0, 0) }).pick(workers, anyone)?.id).toBe(2);
  });

  it('takes the only free worker without drawing', () => {
    let draws = 0;
    const policy = powerOfTwo({
      random: () => {
        draws += 1;
        return 0.5;
      },
    });
    expect(policy.pick([createTestWorker(4)], anyone)?.id).toBe(4);
    expect(draws).toBe(0);
  });
});
