import { describe, expect, it, vi } from 'vitest';
import type { ClusterLike, WorkerLike } from './cluster-like.ts';
import type { ManagedSlot } from './managed-slot.ts';
import { SupervisorMetrics } from './metrics.ts';
import type { WorkerMetricsSample } from './protocol.ts';

const SAMPLE: WorkerMetricsSample = {
  cpuUser: 1_000,
  cpuSystem: 500,
  rss: 40 << 20,
  heapTotal: 8 << 20,
  heapUsed: 4 << 20,
  external: 0,
  arrayBuffers: 0,
  loopDelayP50: 0,
  loopDelayP99: 0,
  loopDelayMax: 0,
  loopUtilization: 0.1,
};

/** A worker process as the metrics see it: its samples say whether it has prom-client. */
function member(slot: number, promClient: boolean | undefined) {
  return {
    worker: { id: slot + 1 } as WorkerLike,
    slot,
    pid: 1_000 + slot,
    state: 'ready',
    reason: 'start',
    startedAt: Date.now(),
    hasPart: (name: string) => name === 'metrics',
    requestMetrics: vi.fn(async () => ({ ...SAMPLE, ...(promClient === undefined ? {} : { promClient }) })),
    requestPromMetrics: vi.fn(async () => ({ metrics: promClient ? [] : null })),
  };
}

function metricsOver(members: ReturnType<typeof member>[]) {
  const slots = members.map((m) => ({ id: m.slot, state: 'ready', pid: m.pid, restarts: 0, uptime: 1, workers: [m] }));
  return new SupervisorMetrics(
    { interval: 1_000, history: 10, timeout: 100 },
    {
      cluster: {} as ClusterLike<WorkerLike>,
      slots: () => slots as unknown as ManagedSlot<WorkerLike>[],
      on: () => {},
    },
  );
}

describe('SupervisorMetrics.promClient', () => {
  it('asks only the workers whose last sample did not say they have no prom-client', async () => {
    const without = member(0, false);
    const withIt = member(1, true);
    const unknown = member(2, undefined);
    const metrics = metricsOver([without, withIt, unknown]);

    // Before any sample nothing is known: every worker is asked.
    await metrics.promClient();
    expect(without.requestPromMetrics).toHaveBeenCalledTimes(1);

    await metrics.sample();
    const answers = await metrics.promClient();
    expect(without.requestPromMetrics).toHaveBeenCalledTimes(1);
    expect(withIt.requestPromMetrics).toHaveBeenCalledTimes(2);
    expect(unknown.requestPromMetrics).toHaveBeenCalledTimes(2);
    // The one not asked has nothing missing.
    expect(answers).toEqual([
      { slot: 0, pid: 1_000, up: true, metrics: null },
      { slot: 1, pid: 1_001, up: true, metrics: [] },
      { slot: 2, pid: 1_002, up: true, metrics: null },
    ]);
  });

  it('reports a worker that was asked and did not answer as not up', async () => {
    const silent = member(0, true);
    silent.requestPromMetrics.mockRejectedValue(new Error('timed out'));
    const metrics = metricsOver([silent]);
    await metrics.sample();
    expect(await metrics.promClient()).toEqual([{ slot: 0, pid: 1_000, up: false, metrics: null }]);
  });
});
