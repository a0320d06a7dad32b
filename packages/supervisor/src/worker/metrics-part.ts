import { createRequire } from 'node:module';
import { type EventLoopUtilization, type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { PromMetricJson, PromMetricsReply, WorkerMetricsSample } from '../protocol.ts';
import type { WorkerPart } from './part.ts';

/**
 * The delay monitor's resolution, ms. Each tick wakes an idle loop up (~50–150 µs of CPU on a VM), so
 * Node's default of 10 ms costs an idle worker ~5 ms of CPU a second; 20 ms halves that and still gives a
 * p99 over 50 readings a second. `perf_hooks`' monitor, not `monitorLoopDelay`: its ticks cost less than a
 * JavaScript timer's, and the one tick after each sample it does not measure (a fiftieth of the time) is
 * an acceptable gap for a chart (the heartbeats, not this, catch a stuck worker).
 */
export const LOOP_DELAY_RESOLUTION_MS = 20;
const NS_PER_MS = 1e6;

interface PromRegistry {
  getMetricsAsJSON(): Promise<PromMetricJson[]> | PromMetricJson[];
}

/**
 * The user's own prom-client, if the worker loaded it: its default registry, found in the module cache
 * (prom-client is CommonJS, so `import` puts it there too). Never loaded by us: a worker without it
 * answers `null`.
 */
export function findPromRegistry(
  cache: NodeJS.Dict<NodeModule> = createRequire(__filename).cache,
): PromRegistry | undefined {
  return findPromModule(cache)?.registry;
}

function findPromModule(cache: NodeJS.Dict<NodeModule>): { file: string; registry: PromRegistry } | undefined {
  for (const file in cache) {
    if (!/[\\/]node_modules[\\/]prom-client[\\/]index\.js$/.test(file)) continue;
    const register = (cache[file]?.exports as { register?: Partial<PromRegistry> } | undefined)?.register;
    if (typeof register?.getMetricsAsJSON === 'function') return { file, registry: register as PromRegistry };
  }
  return undefined;
}

/**
 * `findPromRegistry`, remembered for the per-sample check: the cache is scanned again only when its size
 * changed since the last scan, or when the module found has left it.
 */
export function promRegistryLookup(cache: NodeJS.Dict<NodeModule>): () => PromRegistry | undefined {
  let found: { file: string; registry: PromRegistry } | undefined;
  let scannedSize = -1;
  return () => {
    if (found !== undefined && cache[found.file] !== undefined) return found.registry;
    const size = Object.keys(cache).length;
    if (found === undefined && size === scannedSize) return undefined;
    scannedSize = size;
    found = findPromModule(cache);
    return found?.registry;
  };
}

/**
 * Answers the primary's `metrics` (CPU, memory, event-loop delay and utilisation) and `promMetrics` (the
 * user's prom-client registry). Measuring runs only when asked, except the delay monitor, a libuv timer
 * that records into a histogram.
 */
export function metricsPart({
  cache = createRequire(__filename).cache,
  monitor = monitorEventLoopDelay,
}: {
  /** Where to look for prom-client: the module cache. */
  cache?: NodeJS.Dict<NodeModule>;
  /** Makes the delay monitor: `perf_hooks.monitorEventLoopDelay`. */
  monitor?: (options: { resolution: number }) => IntervalHistogram;
} = {}): WorkerPart {
  const delay = monitor({ resolution: LOOP_DELAY_RESOLUTION_MS });
  let lastUtilization: EventLoopUtilization | undefined;
  const promRegistry = promRegistryLookup(cache);
  const sample = (): WorkerMetricsSample => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const utilization = performance.eventLoopUtilization(lastUtilization);
    lastUtilization = performance.eventLoopUtilization();
    // An empty histogram (no tick since the last request) reads as a huge minimum: report 0. The monitor
    // records the time between its ticks, the resolution included: the delay is what is late.
    const late = (ns: number) => (delay.count === 0 ? 0 : Math.max(0, ns / NS_PER_MS - LOOP_DELAY_RESOLUTION_MS));
    const result: WorkerMetricsSample = {
      cpuUser: cpu.user,
      cpuSystem: cpu.system,
      rss: memory.rss,
      heapTotal: memory.heapTotal,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      loopDelayP50: late(delay.percentile(50)),
      loopDelayP99: late(delay.percentile(99)),
      loopDelayMax: late(delay.max),
      loopUtilization: utilization.utilization,
      promClient: promRegistry() !== undefined,
    };
    delay.reset();
    return result;
  };
  return {
    name: 'metrics',
    start() {
      delay.enable();
      lastUtilization = performance.eventLoopUtilization();
    },
    acts: {
      metrics: () => sample(),
      promMetrics: async (): Promise<PromMetricsReply> => {
        const registry = findPromRegistry(cache);
        return { metrics: registry === undefined ? null : await registry.getMetricsAsJSON() };
      },
    },
  };
}
