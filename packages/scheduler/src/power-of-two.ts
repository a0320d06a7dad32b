import type { SchedulingPolicy, WorkerLoad } from './policy.ts';

export interface PowerOfTwoOptions {
  /** A source of numbers in [0, 1); `Math.random` by default. Inject one for reproducible tests. */
  random?: () => number;
}

/**
 * Power of two choices: sample two free workers at random and hand the
 * connection to the less loaded one. Nearly as even as least-connections,
 * without scanning for the minimum or herding onto one worker.
 */
export function powerOfTwo(options: PowerOfTwoOptions = {}): SchedulingPolicy {
  const random = options.random ?? Math.random;
  const free: WorkerLoad[] = [];
  return {
    name: 'power-of-two',
    pick(workers) {
      free.length = 0;
      for (const worker of workers) if (!worker.busy) free.push(worker);
      const count = free.length;
      if (count <= 1) return free[0];
      const i = Math.floor(random() * count) % count;
      let j = Math.floor(random() * (count - 1)) % (count - 1);
      if (j >= i) j += 1;
      const a = free[i] as WorkerLoad;
      const b = free[j] as WorkerLoad;
      return b.connections < a.connections ? b : a;
    },
  };
}
