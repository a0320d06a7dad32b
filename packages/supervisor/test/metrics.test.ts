import { holdConnections, killAll, type TraceEvent } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { get, startPrimary } from './helpers.ts';

afterEach(() => killAll());

interface Figures {
  slot: number;
  pid: number;
  up: boolean;
  cpu: number | null;
  rss: number | null;
  heapUsed: number | null;
  p99: number | null;
  elu: number | null;
  connections: number | null;
  handed: number | null;
}
const workersOf = (entry: TraceEvent) => entry.workers as Figures[];
const sum = (entry: TraceEvent, key: 'connections' | 'handed') =>
  workersOf(entry).reduce((total, worker) => total + (worker[key] ?? 0), 0);

const METRICS = { interval: 100, timeout: 300 };

describe('metrics', () => {
  it('samples every worker (CPU, memory, event loop) and counts the connections the test holds open', async () => {
    const primary = await startPrimary('ours', { options: { workers: 2, metrics: METRICS } });
    const sockets = await holdConnections(primary.port, 3);
    try {
      const entry = await primary.waitFor(
        'metrics',
        (e) => sum(e, 'connections') === 3 && workersOf(e).every((worker) => worker.cpu !== null),
      );
      expect(
        workersOf(entry)
          .map((worker) => worker.slot)
          .sort(),
      ).toEqual([0, 1]);
      for (const worker of workersOf(entry)) {
        expect(worker.up).toBe(true);
        expect(worker.rss).toBeGreaterThan(10 * 1024 * 1024);
        expect(worker.heapUsed).toBeGreaterThan(0);
        expect(worker.cpu).toBeGreaterThanOrEqual(0);
        expect(worker.p99).toBeGreaterThanOrEqual(0);
        expect(worker.elu).toBeGreaterThanOrEqual(0);
        expect(worker.elu).toBeLessThanOrEqual(1);
      }
      expect(sum(entry, 'handed')).toBeGreaterThanOrEqual(3);
      expect(entry.history).toBeGreaterThan(1);
      expect(entry.events).toEqual(expect.arrayContaining(['fork', 'fork']));
      for (const socket of sockets) socket.destroy();
      await primary.waitFor('metrics', (e) => sum(e, 'connections') === 0);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    // Nothing of it reached the user's 'message' listeners.
    expect(primary.trace().filter((e) => e.event === 'user-message')).toEqual([]);
  });

  it('reports a worker whose event loop is blocked as not up, and still samples the others', async () => {
    const primary = await startPrimary('ours', { options: { workers: 2, metrics: METRICS, heartbeat: false } });
    const first = await primary.waitFor('metrics', (e) => workersOf(e).every((worker) => worker.up));
    void get(primary.port, '/busy', false, 60_000).catch(() => {});
    const partial = await primary.waitFor(
      'metrics',
      (e) => Number(e.history) > Number(first.history) && workersOf(e).some((worker) => !worker.up),
    );
    const [down, ...others] = [...workersOf(partial)].sort((a, b) => Number(a.up) - Number(b.up));
    expect(down).toMatchObject({ up: false, rss: null, cpu: null });
    expect(others).toHaveLength(1);
    expect(others[0]).toMatchObject({ up: true });
    expect(others[0]?.rss).toBeGreaterThan(0);
    expect(
      workersOf(first)
        .map((worker) => worker.pid)
        .sort(),
    ).toEqual(
      workersOf(partial)
        .map((worker) => worker.pid)
        .sort(),
    );
  });

  it('works over node:cluster, with connections unknown (null)', async () => {
    const primary = await startPrimary('node', { options: { workers: 2, metrics: METRICS } });
    const entry = await primary.waitFor('metrics', (e) =>
      workersOf(e).every((worker) => worker.up && worker.cpu !== null),
    );
    for (const worker of workersOf(entry)) {
      expect(worker.connections).toBeNull();
      expect(worker.rss).toBeGreaterThan(0);
    }
  });
});
