import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

const NS_PER_MS = 1e6;

/** How late an event loop has been, tick by tick, since the last `reset()`. */
export interface LoopDelayMonitor {
  /** The `p`th percentile of the ticks' lateness since the last reset, in ms; 0 before the first tick. */
  percentile(p: number): number;
  /** The latest tick since the last reset, in ms; 0 before the first tick. */
  readonly max: number;
  /** Ticks since the last reset. */
  readonly count: number;
  /** Starts a new window. The tick after it is measured from the last tick before it, as any other. */
  reset(): void;
  stop(): void;
}

/**
 * Measures the event loop's delay: a timer every `resolution` ms records how late it ran. Unlike
 * `perf_hooks.monitorEventLoopDelay`, the figures are the lateness (not the time between ticks, which
 * includes the resolution), and no tick goes unmeasured: that monitor records nothing for the first tick
 * after `enable()` or `reset()`, so a stall that begins then (one window in `1000 / resolution` of them,
 * a tenth at 100 ms) is never seen. The timer does not keep the process alive.
 */
export function monitorLoopDelay(resolution: number): LoopDelayMonitor {
  let histogram: RecordableHistogram = createHistogram();
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    // Whole nanoseconds, at least 1: the histogram takes positive integers.
    histogram.record(Math.max(1, Math.round((now - last - resolution) * NS_PER_MS)));
    last = now;
  }, resolution);
  timer.unref();
  const read = (ns: number) => (histogram.count === 0 ? 0 : ns / NS_PER_MS);
  return {
    percentile: (p) => read(histogram.percentile(p)),
    get max() {
      return read(histogram.max);
    },
    get count() {
      return histogram.count;
    },
    reset() {
      histogram = createHistogram();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
