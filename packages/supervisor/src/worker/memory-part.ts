import type { WorkerPart } from './part.ts';

/** Puts the worker's resident set size in every heartbeat (for `memoryLimit`); `rss()` reads one number. */
export function memoryPart(): WorkerPart {
  return {
    name: 'memory',
    sample(sample) {
      sample.rss = process.memoryUsage.rss();
    },
  };
}
