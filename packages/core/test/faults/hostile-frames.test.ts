import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { control, eventually, fdCount, isAlive, load, lowestCpuShare, nextTrace, startCluster } from './helpers.ts';

afterEach(() => killAll());

interface Stats {
  fds: number;
  warnings: Record<string, number>;
}

/** Under 5 % of a core over half a second: a primary that spins never shows such a window. */
const IDLE = 0.05;

// Our own wire format: node:cluster has no such frames, so there is nothing to put side by side.
describe('hostile frames from a worker, in our wire format', () => {
  it('leave the primary serving, idle, and with the fds it had', { timeout: 90_000 }, async () => {
    const { script, ready } = await startCluster('ours', {}, { fixture: 'hostile.mjs' });
    const [, hostile] = ready.workers as [number, number];
    expect((await load(ready.port, 20, { concurrency: 4 })).ok).toBe(20);
    const fdsBefore = fdCount(ready.pid);

    await control(ready.control, '/attack');
    expect(isAlive(ready.pid)).toBe(true);
    expect(isAlive(hostile)).toBe(true);
    const served = await load(ready.port, 50, { concurrency: 4 });
    expect(served).toMatchObject({ ok: 50, errors: 0, hung: 0 });
    // Every handle that came along is closed (closing takes a turn of the primary's loop or two).
    const settled = await eventually(() => fdCount(ready.pid) <= fdsBefore);
    expect(fdCount(ready.pid), `fds before: ${fdsBefore}`).toBeLessThanOrEqual(fdsBefore);
    expect(settled).toBe(true);
    expect(await lowestCpuShare(ready.pid, { idle: IDLE })).toBeLessThan(IDLE);
    const { warnings } = await control<Stats>(ready.control, '/stats');
    // Reported, and capped: at most MAX_INVALID_WARNINGS for the one worker that sent them all.
    expect(warnings.ERR_CLUSTER_IPC_INVALID_FRAME).toBeGreaterThan(0);
    expect(
      Object.entries(warnings).reduce(
        (sum, [code, count]) => sum + (code.startsWith('ERR_CLUSTER_IPC') ? count : 0),
        0,
      ),
    ).toBeLessThanOrEqual(10);

    // Then it replays its listen twice and exits: the wedge of issue #11.
    await control(ready.control, '/leave');
    await nextTrace(script, 'exit');
    expect(await load(ready.port, 50, { concurrency: 4, timeout: 5_000 })).toMatchObject({
      ok: 50,
      errors: 0,
      hung: 0,
    });
    expect(await lowestCpuShare(ready.pid, { idle: IDLE })).toBeLessThan(IDLE);
    expect(isAlive(ready.pid)).toBe(true);
  });

  it('a worker that repeats its listen query through process._send and exits leaves the primary serving (regression: a wedged primary)', {
    timeout: 60_000,
  }, async () => {
    const { script, ready } = await startCluster('ours', {}, { fixture: 'hostile.mjs' });
    await control(ready.control, '/leave');
    await nextTrace(script, 'exit');
    // Before the fix the primary spun here at 100 % CPU and answered nothing.
    expect(await load(ready.port, 50, { concurrency: 4, timeout: 5_000 })).toMatchObject({
      ok: 50,
      errors: 0,
      hung: 0,
    });
    expect(await lowestCpuShare(ready.pid, { idle: IDLE })).toBeLessThan(IDLE);
  });
});
