import type { SchedulingPolicy, WorkerLoad } from './policy.ts';

/**
 * Node's policy: workers take turns. The turn moves past the last worker
 * picked, so a worker that is still busy is skipped, not waited for.
 */
export function roundRobin(): SchedulingPolicy {
  let lastId = -1;
  return {
    name: 'round-robin',
    pick(workers) {
      let first: WorkerLoad | undefined;
      for (const worker of workers) {
        if (worker.busy) continue;
        if (worker.id > lastId) {
          lastId = worker.id;
          return worker;
        }
        first ??= worker;
      }
      if (first !== undefined) lastId = first.id;
      return first;
    },
  };
}
