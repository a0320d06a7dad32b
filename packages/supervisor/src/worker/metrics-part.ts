import { createRequire } from 'node:module';
import { type EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { PromMetricJson, PromMetricsReply, WorkerMetricsSample } from '../protocol.ts';
import type { WorkerPart } from './part.ts';

/** The delay monitor's sampling resolution, ms: coarse enough to cost nothing, fine enough for p99. */
export const LOOP_DELAY_RESOLUTION_MS = 10;
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
  for (const [file, module] of Object.entries(cache)) {
    if (!/[\\/]node_modules[\\/]prom-client[\\/]index\.js$/.test(file)) continue;
    const register = (module?.exports as { register?: Partial<PromRegistry> } | undefined)?.register;
    if (typeof register?.getMetricsAsJSON === 'function') return register as PromRegistry;
  }
  return undefined;
}

/**
 * Answers the primary's `metrics` (CPU, memory, event-loop delay and utilisation) and `promMetrics` (the
 * user's prom-client registry). Measuring runs only when asked, except the delay monitor, a libuv timer
 * that records into a histogram.
 */
export function metricsPart(): WorkerPart {
  const delay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  let lastUtilization: EventLoopUtilization | undefined;
  const sample = (): WorkerMetricsSample => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const utilization = performance.eventLoopUtilization(lastUtilization);
    lastUtilization = performance.eventLoopUtilization();
    // An empty histogram (no tick since the last request) reads as a huge minimum: report 0.
    const empty = delay.count === 0;
    const result: WorkerMetricsSample = {
      cpuUser: cpu.user,
      cpuSystem: cpu.system,
      rss: memory.rss,
      heapTotal: memory.heapTotal,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      loopDelayP50: empty ? 0 : delay.percentile(50) / NS_PER_MS,
      loopDelayP99: empty ? 0 : delay.percentile(99) / NS_PER_MS,
      loopDelayMax: empty ? 0 : delay.max / NS_PER_MS,
      loopUtilization: utilization.utilization,
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
        const registry = findPromRegistry();
        return { metrics: registry === undefined ? null : await registry.getMetricsAsJSON() };
      },
    },
  };
}
