import type { WorkerLoad } from './policy.ts';

/** Orders two free workers: negative when `a` should win. */
export type Preference = (a: WorkerLoad, b: WorkerLoad) => number;

/**
 * Turn-taking among free workers: the one picked least recently wins (one never picked goes
 * first, in the order workers joined), after an optional preference. Node's free list behaves
 * this way; least-connections uses it to break ties.
 */
export function createRotation() {
  let turn = 0;
  const lastPicked = new Map<number, number>();
  return {
    pick(workers: readonly WorkerLoad[], prefer?: Preference): WorkerLoad | undefined {
      let best: WorkerLoad | undefined;
      let bestTurn = 0;
      for (const worker of workers) {
        if (worker.busy) continue;
        const picked = lastPicked.get(worker.id) ?? -1;
        const order = best === undefined ? -1 : (prefer?.(worker, best) ?? 0);
        if (order < 0 || (order === 0 && picked < bestTurn)) {
          best = worker;
          bestTurn = picked;
        }
      }
      if (best !== undefined) lastPicked.set(best.id, turn++);
      return best;
    },
    forget(worker: WorkerLoad): void {
      lastPicked.delete(worker.id);
    },
    clear(): void {
      lastPicked.clear();
    },
  };
}
