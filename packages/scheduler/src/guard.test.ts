import { describe, expect, it } from 'vitest';
import { assertSchedulingPolicy, explainPolicyMismatch, isSchedulingPolicy } from './guard.ts';
import { roundRobin } from './round-robin.ts';

function codeAndMessage(value: unknown, name?: string): { code: unknown; message: string; type: boolean } {
  try {
    assertSchedulingPolicy(value, name);
  } catch (error) {
    return {
      code: (error as { code?: unknown }).code,
      message: (error as Error).message,
      type: error instanceof TypeError,
    };
  }
  throw new Error('assertSchedulingPolicy accepted it');
}

describe('assertSchedulingPolicy', () => {
  it('accepts a built-in and a minimal object', () => {
    expect(() => assertSchedulingPolicy(roundRobin())).not.toThrow();
    expect(() => assertSchedulingPolicy({ name: 'x', pick: () => undefined })).not.toThrow();
    expect(isSchedulingPolicy({ name: 'x', pick: () => undefined, dispose: undefined })).toBe(true);
  });

  it.each([
    [null, 'a policy must be an object, got null'],
    [[], 'a policy must be an object, got an array'],
    ['round-robin', 'a policy must be an object, got string'],
    [{ pick() {} }, 'policy.name must be a non-empty string, got undefined'],
    [{ name: '', pick() {} }, 'policy.name must be a non-empty string, got string'],
    [{ name: 'x' }, 'policy.pick must be a function, got undefined'],
    [{ name: 'x', pick: 1 }, 'policy.pick must be a function, got number'],
    [{ name: 'x', pick() {}, add: true }, 'policy.add must be a function when present, got boolean'],
    [{ name: 'x', pick() {}, remove: {} }, 'policy.remove must be a function when present, got object'],
    [{ name: 'x', pick() {}, dispose: 'no' }, 'policy.dispose must be a function when present, got string'],
  ])('throws ERR_INVALID_ARG_TYPE naming what is wrong with %j', (value, problem) => {
    const { code, message, type } = codeAndMessage(value, 'settings.policy');
    expect(type).toBe(true);
    expect(code).toBe('ERR_INVALID_ARG_TYPE');
    expect(explainPolicyMismatch(value)).toBe(problem);
    expect(message).toContain('"settings.policy"');
    expect(isSchedulingPolicy(value)).toBe(false);
  });
});
