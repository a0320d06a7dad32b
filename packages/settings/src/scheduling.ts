/** Leave the distribution of connections to the operating system (Node's value). */
export const SCHED_NONE = 1;
/** The primary accepts and hands connections to workers (Node's value). */
export const SCHED_RR = 2;

export type SchedulingMode = typeof SCHED_NONE | typeof SCHED_RR;

/**
 * The name of the balanced kernel-accept mode (`NODE_CLUSTER_SCHED_POLICY=balanced`, or
 * `setupPrimary({ policy: 'balanced' })`): workers accept on one shared socket as under SCHED_NONE, and the
 * primary pauses whichever is ahead of its share.
 */
export const BALANCED_MODE = 'balanced';

/** What `NODE_CLUSTER_SCHED_POLICY` asks for. */
export interface SchedulingChoice {
  mode: SchedulingMode;
  /** A named balancing policy (`'least-connections'`, …) for SCHED_RR; `undefined` means round-robin. */
  policy: string | undefined;
  /** `true` for the balanced kernel-accept mode (`mode` is then SCHED_NONE: the workers accept). */
  balanced: boolean;
}

/** The environment variable Node reads, which we extend with policy names. */
export const SCHED_POLICY_ENV = 'NODE_CLUSTER_SCHED_POLICY';

/**
 * Reads the scheduling choice as Node does: `rr` and `none` keep their
 * meaning, anything unknown falls back to the platform default. `balanced`
 * is the balanced kernel-accept mode, under SCHED_NONE. Any other
 * non-empty value names a balancing policy under SCHED_RR; whether that
 * name exists is decided where policies are known.
 */
export function readSchedulingChoice(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): SchedulingChoice {
  const fallback: SchedulingMode = platform === 'win32' ? SCHED_NONE : SCHED_RR;
  const value = env[SCHED_POLICY_ENV];
  if (value === 'none') return { mode: SCHED_NONE, policy: undefined, balanced: false };
  if (value === BALANCED_MODE) return { mode: SCHED_NONE, policy: undefined, balanced: true };
  if (value === 'rr' || value === undefined || value === '')
    return { mode: value === 'rr' ? SCHED_RR : fallback, policy: undefined, balanced: false };
  return { mode: SCHED_RR, policy: value, balanced: false };
}
