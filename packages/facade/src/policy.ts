import { createError, invalidArgValue } from '@cluster/errors';
import {
  assertSchedulingPolicy,
  BUILTIN_POLICIES,
  createPolicyByName,
  type SchedulingPolicy,
} from '@cluster/scheduler';
import { BALANCED_MODE, SCHED_POLICY_ENV } from '@cluster/settings';

/** Names in quotes, as messages that answer a mistyped name list the valid ones. */
const quoted = (names: readonly string[]) => names.map((name) => `'${name}'`).join(', ');
const POLICY_NAMES = Object.keys(BUILTIN_POLICIES);
/** What the `policy` setting takes by name: the SCHED_RR policies, and the balanced kernel-accept mode. */
const SETTING_NAMES = [...POLICY_NAMES, BALANCED_MODE];

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
          `Unknown ${SCHED_POLICY_ENV} "${fromEnv}"; using round-robin. Valid values: ${quoted(['rr', 'none', BALANCED_MODE, ...POLICY_NAMES])}`,
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
      throw invalidArgValue(
        'settings.policy',
        setting,
        `must be one of: ${quoted(SETTING_NAMES)} (or a policy object)`,
      );
    }
    return named;
  }
  assertSchedulingPolicy(setting, 'settings.policy');
  return setting;
}

/**
 * Checks a `policy` setting at `setupPrimary()` time, so that mistakes surface where they are made.
 * `frozenMode` is the scheduling mode once the first `setupPrimary()`/`fork()` fixed it: the balanced mode
 * cannot be switched to (or from) after that.
 */
export function validatePolicySetting(setting: unknown, frozenMode?: 'rr' | 'none' | 'balanced'): void {
  if (setting === undefined) return;
  if (setting === BALANCED_MODE) {
    if (frozenMode !== undefined && frozenMode !== 'balanced') throw balancedTooLate();
    return;
  }
  resolvePolicy(setting, undefined);
}

function balancedTooLate() {
  return createError(
    Error,
    'ERR_CLUSTER_SCHEDULING_FROZEN',
    `settings.policy '${BALANCED_MODE}' must be set by the first setupPrimary() or fork(): the scheduling mode is fixed from then on`,
  );
}
