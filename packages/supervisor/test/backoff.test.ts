import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, get, IMPLS, startPrimary } from './helpers.ts';

afterEach(() => killAll());

const RESTART = { initialDelay: 100, factor: 2, maxDelay: 400, maxRestarts: 4 };
const DELAYS = [100, 200, 400, 400];
/** Slack for a loaded machine: a restart may come later than its delay, never earlier. */
const TOLERANCE_MS = 1_000;

describe.each(IMPLS)('restarts on %s', (impl) => {
  it('restarts a slot whose worker exits at start on the backoff schedule, then gives up; the rest keep serving', async () => {
    const primary = await startPrimary(impl, {
      options: { workers: 2, restart: RESTART },
      env: { APP_FAIL_SLOT: '1' },
      until: 'primary-alive',
    });
    const trace = primary.trace();
    const ofSlot = (event: string) => trace.filter((entry) => entry.event === event && entry.slot === 1);
    const forks = ofSlot('fork');
    const exits = ofSlot('exit');
    expect(forks.map((entry) => entry.reason)).toEqual(['start', 'restart', 'restart', 'restart', 'restart']);
    expect(exits.map((entry) => [entry.code, entry.expected])).toEqual(Array(5).fill([3, false]));
    expect(ofSlot('restart').map((entry) => [entry.delay, entry.failures, entry.cause])).toEqual(
      DELAYS.map((delay, i) => [delay, i + 1, 'ERR_CLUSTER_WORKER_EXITED']),
    );
    // Each restart came its delay after the exit before it, within the tolerance.
    DELAYS.forEach((delay, i) => {
      const waited = (forks[i + 1]?.at as number) - (exits[i]?.at as number);
      expect(waited).toBeGreaterThanOrEqual(delay - 5);
      expect(waited).toBeLessThan(delay + TOLERANCE_MS);
    });
    expect(ofSlot('giveUp')).toMatchObject([
      { error: { code: 'ERR_CLUSTER_RESTART_LIMIT', slot: 1, cause: 'ERR_CLUSTER_WORKER_EXITED' } },
    ]);
    expect(trace.find((entry) => entry.event === 'ready-failed')).toMatchObject({
      code: 'ERR_CLUSTER_START_FAILED',
      slot: 1,
      cause: 'ERR_CLUSTER_RESTART_LIMIT',
    });
    const alive = trace.find((entry) => entry.event === 'primary-alive');
    expect((alive?.states as string[] | undefined)?.[1]).toBe('failed');

    // Slot 0 serves on; slot 1 stays given up (no fork loop).
    await primary.waitFor('ready', (entry) => entry.slot === 0);
    for (let i = 0; i < 10; i++) expect(await get(primary.port)).toMatchObject({ slot: '0' });
    expect(primary.trace().filter((entry) => entry.event === 'fork' && entry.slot === 1)).toHaveLength(5);
    expect(primary.script.child.exitCode).toBeNull();
  }, 30_000);

  it('ends an app that cannot start at all with ERR_CLUSTER_START_FAILED, not a fork loop', async () => {
    const script = runScript(fixture('start-fails.mjs'), { env: { CLUSTER_IMPL: impl } });
    const { code } = await script.exited(20_000);
    expect(code).toBe(1);
    expect(script.stderr.join('\n')).toContain('ERR_CLUSTER_START_FAILED');
    // The first slot to give up ends it: its first worker and two restarts; the other had no more.
    const forks = (slot: number) => script.stdout.filter((line) => line === `fork ${slot}`).length;
    expect(Math.max(forks(0), forks(1))).toBe(3);
    expect(Math.min(forks(0), forks(1))).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
