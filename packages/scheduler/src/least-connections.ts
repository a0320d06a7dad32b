import type { SchedulingPolicy, WorkerLoad } from './policy.ts';
import { createRotation } from './rotation.ts';

const fewerConnections = (a: WorkerLoad, b: WorkerLoad): number => a.connections - b.connections;

/**
 * The free worker with the fewest open connections wins; ties go to the
 * one picked least recently, so equal workers still take turns.
 */
export function leastConnections(): SchedulingPolicy {
  const rotation = createRotation();
  return {
    name: 'least-connections',
    pick: (workers) => rotation.pick(workers, fewerConnections),
    remove: (worker) => rotation.forget(worker),
    dispose: () => rotation.clear(),
  };
}
