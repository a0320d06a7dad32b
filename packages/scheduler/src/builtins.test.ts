import { describe, expect, it } from 'vitest';
import { BUILTIN_POLICIES, createPolicyByName, isBuiltinPolicyName } from './builtins.ts';

describe('createPolicyByName', () => {
  it('creates a fresh instance of each built-in by its name', () => {
    for (const name of Object.keys(BUILTIN_POLICIES)) {
      const policy = createPolicyByName(name);
      expect(policy?.name).toBe(name);
      expect(createPolicyByName(name)).not.toBe(policy);
    }
    expect(Object.keys(BUILTIN_POLICIES).sort()).toEqual(
      ['ip-hash', 'least-connections', 'power-of-two', 'round-robin'].sort(),
    );
  });

  it('knows nothing of other names, including inherited ones', () => {
    expect(createPolicyByName('weighted')).toBeUndefined();
    expect(createPolicyByName('toString')).toBeUndefined();
    expect(createPolicyByName('rr')).toBeUndefined();
    expect([isBuiltinPolicyName('ip-hash'), isBuiltinPolicyName('toString'), isBuiltinPolicyName(3)]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
