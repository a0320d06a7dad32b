import type { SchedulingPolicy, WorkerLoad } from './policy.ts';

export interface WeightedOptions {
  /** Each worker's share, by id; workers it does not name weigh `defaultWeight`. */
  weights: Readonly<Record<number, number>> | ((workerId: number) => number);
  /** The weight of workers `weights` does not name. Default: 1. */
  defaultWeight?: number;
}

/**
 * Smooth weighted round-robin (as nginx does it): over time each free
 * worker receives connections in proportion to its weight, interleaved
 * rather than in bursts.
 */
export function weighted(options: WeightedOptions): SchedulingPolicy {
  const { weights } = options;
  const defaultWeight = options.defaultWeight ?? 1;
  const weightOf = (id: number): number => {
    const value = typeof weights === 'function' ? weights(id) : weights[id];
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : defaultWeight;
  };
  const current = new Map<number, number>();
  return {
    name: 'weighted',
    pick(workers) {
      let total = 0;
      let best: WorkerLoad | undefined;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const worker of workers) {
        if (worker.busy) continue;
        const weight = weightOf(worker.id);
        const score = (current.get(worker.id) ?? 0) + weight;
        current.set(worker.id, score);
        total += weight;
        if (score > bestScore) {
          bestScore = score;
          best = worker;
        }
      }
      if (best !== undefined) current.set(best.id, bestScore - total);
      return best;
    },
    remove(worker) {
      current.delete(worker.id);
    },
    dispose() {
      current.clear();
    },
  };
}
