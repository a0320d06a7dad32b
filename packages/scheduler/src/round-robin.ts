import type { SchedulingPolicy, WorkerLoad } from './policy.ts';

/**
 * Node's policy: workers take turns. Like Node's free list, the free worker
 * that was picked least recently goes next (one never picked goes first, in
 * the order workers joined), so a busy worker is skipped, not waited for,
 * and join order rather than id order decides the rotation.
 */
export function roundRobin(): SchedulingPolicy {
  let turn = 0;
  const lastPicked = new Map<number, number>();
  return {
    name: 'round-robin',
    pick(workers) {
      let best: WorkerLoad | undefined;
      let bestTurn = Number.POSITIVE_INFINITY;
      for (const worker of workers) {
        if (worker.busy) continue;
        const picked = lastPicked.get(worker.id) ?? -1;
        if (picked < bestTurn) {
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
