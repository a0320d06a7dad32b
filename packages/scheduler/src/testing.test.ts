import { describe, expect, it } from 'vitest';
import type { SchedulingPolicy } from './policy.ts';
import { roundRobin } from './round-robin.ts';
import { assertPolicyConformance, policyConformanceCases } from './testing.ts';

describe('the conformance suite', () => {
  it('passes a built-in as a whole', () => {
    expect(() => assertPolicyConformance(roundRobin)).not.toThrow();
  });

  it('throws one AggregateError naming each case a broken policy fails', () => {
    const pickFirst = (): SchedulingPolicy => ({ name: 'pick-first', pick: (workers) => workers[0] });
    let caught: unknown;
    try {
      assertPolicyConformance(pickFirst);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AggregateError);
    const messages = (caught as AggregateError).errors.map((error: Error) => error.message);
    expect(messages.some((message) => message.startsWith('never picks a busy worker'))).toBe(true);
    expect(messages.some((message) => message.startsWith('picks nobody when every worker is busy'))).toBe(true);
    expect(messages.some((message) => message.startsWith('meets the contract'))).toBe(false);
  });

  it('fails a factory that hands out one shared object, or something that is not a policy', () => {
    const shared: SchedulingPolicy = roundRobin();
    const cases = policyConformanceCases(() => shared);
    expect(() => cases.find((c) => c.name.startsWith('returns a new policy'))?.run()).toThrow();
    const notAPolicy = policyConformanceCases(() => ({ name: 'x' }) as unknown as SchedulingPolicy);
    expect(() => notAPolicy[0]?.run()).toThrow(/policy.pick must be a function/);
  });

  it('fails a policy that waits although every worker is free', () => {
    const idle = (): SchedulingPolicy => ({ name: 'idle', pick: () => undefined });
    expect(() => assertPolicyConformance(idle)).toThrow(AggregateError);
  });
});
