import type { SchedulingPolicy, WorkerLoad } from './policy.ts';

/** FNV-1a over the address: cheap, and spreads similar addresses apart. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Sticky by client address: the same address reaches the same worker while
 * it lives (rendezvous hashing, so a worker leaving moves only its own
 * clients). A connection waits for its worker if that one is busy.
 * Connections without an address are spread round-robin.
 */
export function ipHash(): SchedulingPolicy {
  let turn = 0;
  return {
    name: 'ip-hash',
    pick(workers, connection) {
      const address = connection.remoteAddress;
      if (address === undefined) {
        const free = workers.filter((worker) => !worker.busy);
        if (free.length === 0) return undefined;
        return free[turn++ % free.length];
      }
      let owner: WorkerLoad | undefined;
      let best = -1;
      for (const worker of workers) {
        const score = hash(`${worker.id}:${address}`);
        if (score > best) {
          best = score;
          owner = worker;
        }
      }
      return owner === undefined || owner.busy ? undefined : owner;
    },
  };
}
