import type { SchedulingPolicy } from './policy.ts';
import { createRotation } from './rotation.ts';

/**
 * Node's policy: workers take turns. Like Node's free list, the free worker
 * that was picked least recently goes next (one never picked goes first, in
 * the order workers joined), so a busy worker is skipped, not waited for,
 * and join order rather than id order decides the rotation.
 */
export function roundRobin(): SchedulingPolicy {
  const rotation = createRotation();
  return {
    name: 'round-robin',
    pick: (workers) => rotation.pick(workers),
    remove: (worker) => rotation.forget(worker),
    dispose: () => rotation.clear(),
  };
}
