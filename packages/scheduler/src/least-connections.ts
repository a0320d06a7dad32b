import type { SchedulingPolicy, WorkerLoad } from './policy.ts';

/**
 * The free worker with the fewest open connections wins; ties go to the
 * one picked least recently, so equal workers still take turns.
 */
export function leastConnections(): SchedulingPolicy {
  let turn = 0;
  const lastPicked = new Map<number, number>();
  return {
    name: 'least-connections',
    pick(workers) {
      let best: WorkerLoad | undefined;
      let bestTurn = 0;
      for (const worker of workers) {
        if (worker.busy) continue;
        const picked = lastPicked.get(worker.id) ?? -1;
        if (
          best === undefined ||
          worker.connections < best.connections ||
          (worker.connections === best.connections && picked < bestTurn)
        ) {
          best = worker;
          bestTurn = picked;
        }
      }
      if (best !== undefined) lastPicked.set(best.id, turn++);
      return best;
    },
    remove(worker) {
      lastPicked.delete(worker.id);
    },
    dispose() {
      lastPicked.clear();
    },
  };
}
