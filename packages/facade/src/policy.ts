import { invalidArgValue } from '@cluster/errors';
import { assertSchedulingPolicy, createPolicyByName, type SchedulingPolicy } from '@cluster/scheduler';

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
          `Unknown NODE_CLUSTER_SCHED_POLICY "${fromEnv}"; using round-robin`,
          'ClusterWarning',
          'CLUSTER_UNKNOWN_POLICY',
        );
      }
    }
    return createPolicyByName('round-robin') as SchedulingPolicy;
  }
  if (typeof setting === 'string') {
    const named = createPolicyByName(setting);
    if (named === undefined) throw invalidArgValue('settings.policy', setting, 'is not a built-in policy');
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
