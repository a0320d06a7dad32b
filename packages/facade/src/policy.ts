import { invalidArgValue } from '@cluster/errors';
import {
  assertSchedulingPolicy,
  BUILTIN_POLICIES,
  createPolicyByName,
  type SchedulingPolicy,
} from '@cluster/scheduler';
import { SCHED_POLICY_ENV } from '@cluster/settings';

/** Names in quotes, as messages that answer a mistyped name list the valid ones. */
const quoted = (names: readonly string[]) => names.map((name) => `'${name}'`).join(', ');
const POLICY_NAMES = Object.keys(BUILTIN_POLICIES);

let warnedAboutEnv = false;

/** Turns the `policy` setting (or the policy named by the environment) into a policy instance. */
export function resolvePolicy(setting: unknown, fromEnv: string | undefined): SchedulingPolicy {
  if (setting === undefined) {
    if (fromEnv !== undefined) {
      const named = createPolicyByName(fromEnv);
      if (named !== undefined) return named;
      // Once per process, not once per listener.
      if (!warnedAboutEnv) {
        warnedAboutEnv = true;
        process.emitWarning(
          `Unknown ${SCHED_POLICY_ENV} "${fromEnv}"; using round-robin. Valid values: ${quoted(['rr', 'none', ...POLICY_NAMES])}`,
          'ClusterWarning',
          'CLUSTER_UNKNOWN_POLICY',
        );
      }
    }
    return createPolicyByName('round-robin') as SchedulingPolicy;
  }
  if (typeof setting === 'string') {
    const named = createPolicyByName(setting);
    if (named === undefined) {
      throw invalidArgValue('settings.policy', setting, `must be one of: ${quoted(POLICY_NAMES)} (or a policy object)`);
    }
    return named;
  }
  assertSchedulingPolicy(setting, 'settings.policy');
  return setting;
}

/** Checks a `policy` setting at `setupPrimary()` time, so that mistakes surface where they are made. */
export function validatePolicySetting(setting: unknown): void {
  if (setting === undefined) return;
  resolvePolicy(setting, undefined);
}
