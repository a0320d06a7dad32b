import { ipHash } from './ip-hash.ts';
import { leastConnections } from './least-connections.ts';
import type { SchedulingPolicy } from './policy.ts';
import { powerOfTwo } from './power-of-two.ts';
import { roundRobin } from './round-robin.ts';

/** The names of the built-in policies that can be chosen by name. */
export type BuiltinPolicyName = 'round-robin' | 'least-connections' | 'ip-hash' | 'power-of-two';

/** The built-in policies that can be chosen by name (weighted needs options, so it is not here). */
export const BUILTIN_POLICIES: Readonly<Record<BuiltinPolicyName, () => SchedulingPolicy>> = Object.freeze({
  'round-robin': roundRobin,
  'least-connections': leastConnections,
  'ip-hash': ipHash,
  'power-of-two': () => powerOfTwo(),
});

/** A fresh instance of the built-in policy with this name, or `undefined`. */
export function createPolicyByName(name: string): SchedulingPolicy | undefined {
  return isBuiltinPolicyName(name) ? BUILTIN_POLICIES[name]() : undefined;
}

/** Whether `name` names a built-in policy (own names only: `'toString'` is none). */
export function isBuiltinPolicyName(name: unknown): name is BuiltinPolicyName {
  return typeof name === 'string' && Object.hasOwn(BUILTIN_POLICIES, name);
}
