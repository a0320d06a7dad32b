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
      // By id, not by position: workers may join a listener in any order.
      let next: WorkerLoad | undefined;
      let lowest: WorkerLoad | undefined;
      for (const worker of workers) {
        if (worker.busy) continue;
        if (worker.id > lastId && (next === undefined || worker.id < next.id)) next = worker;
        if (lowest === undefined || worker.id < lowest.id) lowest = worker;
      }
      const chosen = next ?? lowest;
      if (chosen !== undefined) lastId = chosen.id;
      return chosen;
    },
  };
}
