import { describe, expect, it } from 'vitest';
import { monitorLoopDelay } from './loop-delay.ts';

const RESOLUTION = 20;
const stall = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
};
const ticks = (monitor: { count: number }, count: number) =>
  new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 5_000;
    const check = () => {
      if (monitor.count >= count) resolve();
      else if (Date.now() > deadline) reject(new Error(`only ${monitor.count} ticks`));
      else setTimeout(check, RESOLUTION);
    };
    check();
  });

describe('monitorLoopDelay', () => {
  it('reads 0 before its first tick, and lateness (not the interval) once it ticks', async () => {
    const monitor = monitorLoopDelay(RESOLUTION);
    try {
      expect([monitor.count, monitor.max, monitor.percentile(99)]).toEqual([0, 0, 0]);
      await ticks(monitor, 3);
      // An idle loop is late by far less than the resolution; the raw interval would read ~20 ms.
      expect(monitor.percentile(50)).toBeLessThan(RESOLUTION / 2);
    } finally {
      monitor.stop();
    }
  });

  it('sees a stall that begins at once after a reset (perf_hooks’ monitor does not)', async () => {
    const monitor = monitorLoopDelay(RESOLUTION);
    try {
      await ticks(monitor, 2);
      monitor.reset();
      stall(300);
      await ticks(monitor, 1);
      expect(monitor.max).toBeGreaterThan(250);
      expect(monitor.percentile(99)).toBeGreaterThan(250);
    } finally {
      monitor.stop();
    }
  });

  it('sees a stall that begins at once after it starts', async () => {
    const monitor = monitorLoopDelay(RESOLUTION);
    try {
      stall(300);
      await ticks(monitor, 1);
      expect(monitor.max).toBeGreaterThan(250);
    } finally {
      monitor.stop();
    }
  });
});
