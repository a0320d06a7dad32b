import type { MetricsSnapshot, WorkerMetrics } from '@cluster/supervisor';
import { describe, expect, it } from 'vitest';
import { type ClusterCounters, clusterFamilies, countSample, RunningTotal } from './cluster-metrics.ts';

const worker = (pid: number, cpuSeconds: number | null, handed: number | null): WorkerMetrics => ({
  slot: pid % 10,
  pid,
  id: pid,
  state: 'ready',
  reason: 'start',
  up: cpuSeconds !== null,
  uptime: 1_000,
  cpuPercent: null,
  sample:
    cpuSeconds === null
      ? null
      : {
          cpuUser: cpuSeconds * 1e6,
          cpuSystem: 0,
          rss: 1,
          heapTotal: 1,
          heapUsed: 1,
          external: 0,
          arrayBuffers: 0,
          loopDelayP50: 0,
          loopDelayP99: 0,
          loopDelayMax: 0,
          loopUtilization: 0,
        },
  connections: 0,
  handed,
});

const snapshot = (...workers: WorkerMetrics[]): MetricsSnapshot => ({ at: Date.now(), slots: [], workers });

function totals(counters: ClusterCounters, snap: MetricsSnapshot) {
  const families = clusterFamilies({
    snapshot: snap,
    counters,
    stopping: false,
    primaryLoopDelay: 0,
    promClient: undefined,
  });
  const value = (name: string) => families.find((family) => family.name === name)?.samples[0]?.value;
  return { cpu: value('cluster_cpu_seconds_total'), handed: value('cluster_connections_handed_total') };
}

describe('cluster totals', () => {
  it('keep what a gone worker counted, so the counters never go down', () => {
    const counters: ClusterCounters = { reloads: 0, cpuSeconds: 0, handed: 0 };
    const count = countSample(counters, { cpu: new RunningTotal(), handed: new RunningTotal() });
    const steps = [
      snapshot(worker(101, 2, 10), worker(102, 3, 20)),
      // 102 died and 103 replaced it.
      snapshot(worker(101, 4, 15), worker(103, 0.5, 1)),
      // 101 missed this sample (busy): its last figures still count, once.
      snapshot(worker(101, null, 15), worker(103, 1, 2)),
      snapshot(worker(101, 5, 16), worker(103, 1.5, 3)),
    ];
    const seen = steps.map((snap) => {
      count(snap);
      return totals(counters, snap);
    });
    expect(seen).toEqual([
      { cpu: 5, handed: 30 },
      { cpu: 7.5, handed: 36 },
      { cpu: 8, handed: 37 },
      { cpu: 9.5, handed: 39 },
    ]);
  });

  it('count one sample once, however often it is fed', () => {
    const total = new RunningTotal();
    const values = new Map([[1, 2]]);
    expect(total.update(values)).toBe(2);
    expect(total.update(values)).toBe(2);
    expect(total.update(new Map())).toBe(2);
    expect(total.update(new Map())).toBe(2);
  });
});
