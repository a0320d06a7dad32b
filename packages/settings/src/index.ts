export type { SchedulingChoice, SchedulingMode } from './scheduling.ts';
export { BALANCED_MODE, readSchedulingChoice, SCHED_NONE, SCHED_POLICY_ENV, SCHED_RR } from './scheduling.ts';
export type { ClusterSettings } from './settings.ts';
export { mergeSettings } from './settings.ts';
