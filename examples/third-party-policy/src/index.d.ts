import type { SchedulingPolicy } from '@cluster/scheduler';

/** The free worker handed the fewest connections so far wins; ties go to the one that joined first. */
export function fewestHanded(options?: { ceiling?: number }): SchedulingPolicy;
