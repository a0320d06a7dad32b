// @ts-check
/**
 * fewest-handed: the free worker that has been handed the fewest connections so far wins; ties go to the
 * worker that joined first. Unlike least-connections it ignores how long connections stay open, so it needs
 * no load reports; unlike round-robin it evens out after a worker joins late (the newcomer catches up).
 *
 * Written only against the public contract of @cluster/scheduler: a factory returning
 * `{ name, pick, add?, remove?, dispose? }`; `pick` sees read-only `WorkerLoad`s and returns one that is
 * not busy, or undefined to hold the connection.
 */

/** @typedef {import('@cluster/scheduler').SchedulingPolicy} SchedulingPolicy */
/** @typedef {import('@cluster/scheduler').WorkerLoad} WorkerLoad */

/**
 * @param {{ ceiling?: number }} [options] `ceiling`: hold connections rather than hand a worker more than
 *   this many in total (default: no ceiling). A held connection waits until a worker below it frees up.
 * @returns {SchedulingPolicy}
 */
export function fewestHanded(options = {}) {
  const ceiling = options.ceiling ?? Number.POSITIVE_INFINITY;
  return {
    name: 'fewest-handed',
    pick(workers) {
      /** @type {WorkerLoad | undefined} */
      let best;
      for (const worker of workers) {
        if (worker.busy || worker.handed >= ceiling) continue;
        if (best === undefined || worker.handed < best.handed) best = worker;
      }
      return best;
    },
  };
}
