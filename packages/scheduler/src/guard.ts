import type { SchedulingPolicy } from './policy.ts';

const HOOKS = ['add', 'remove', 'dispose'] as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** What makes `value` fail the policy contract, or `undefined` if it meets it. */
export function explainPolicyMismatch(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `a policy must be an object, got ${describe(value)}`;
  }
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.name !== 'string' || candidate.name.length === 0) {
    return `policy.name must be a non-empty string, got ${describe(candidate.name)}`;
  }
  if (typeof candidate.pick !== 'function') {
    return `policy.pick must be a function, got ${describe(candidate.pick)}`;
  }
  for (const hook of HOOKS) {
    if (candidate[hook] !== undefined && typeof candidate[hook] !== 'function') {
      return `policy.${hook} must be a function when present, got ${describe(candidate[hook])}`;
    }
  }
  return undefined;
}

/** Whether `value` meets the policy contract. */
export function isSchedulingPolicy(value: unknown): value is SchedulingPolicy {
  return explainPolicyMismatch(value) === undefined;
}

/** Throws `ERR_INVALID_ARG_TYPE` naming what is wrong unless `value` is a policy. */
export function assertSchedulingPolicy(value: unknown, name = 'policy'): asserts value is SchedulingPolicy {
  const problem = explainPolicyMismatch(value);
  if (problem === undefined) return;
  // A local copy of Node's error shape: the scheduler depends on nothing.
  const error = new TypeError(`The "${name}" argument must be a SchedulingPolicy: ${problem}`) as TypeError & {
    code: string;
  };
  error.code = 'ERR_INVALID_ARG_TYPE';
  throw error;
}
