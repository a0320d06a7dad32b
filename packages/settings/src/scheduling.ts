/** Leave the distribution of connections to the operating system (Node's value). */
export const SCHED_NONE = 1;
/** The primary accepts and hands connections to workers (Node's value). */
export const SCHED_RR = 2;

export type SchedulingMode = typeof SCHED_NONE | typeof SCHED_RR;

/** What `NODE_CLUSTER_SCHED_POLICY` asks for. */
export interface SchedulingChoice {
  mode: SchedulingMode;
  /** A named balancing policy (`'least-connections'`, …) for SCHED_RR; `undefined` means round-robin. */
  policy: string | undefined;
}

/** The environment variable Node reads, which we extend with policy names. */
export const SCHED_POLICY_ENV = 'NODE_CLUSTER_SCHED_POLICY';

/**
 * Reads the scheduling choice as Node does: `rr` and `none` keep their
 * meaning, anything unknown falls back to the platform default. Any other
 * non-empty value names a balancing policy under SCHED_RR; whether that
 * name exists is decided where policies are known.
 */
export function readSchedulingChoice(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): SchedulingChoice {
  const fallback: SchedulingMode = platform === 'win32' ? SCHED_NONE : SCHED_RR;
  const value = env[SCHED_POLICY_ENV];
  if (value === 'none') return { mode: SCHED_NONE, policy: undefined };
  if (value === 'rr' || value === undefined || value === '')
    return { mode: value === 'rr' ? SCHED_RR : fallback, policy: undefined };
  return { mode: SCHED_RR, policy: value };
}
