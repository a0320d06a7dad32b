import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

describe('load reports', () => {
  // Reports used to run on a 25 ms interval in every worker with a shared server, idle or not.
  // Under round-robin one timer stays by design: the handoff handle's keep-alive (it never fires: it holds the
  // loop open as a listening handle would).
  it.each([
    ['rr', 1],
    ['least-connections', 1],
    ['none', 0],
    ['balanced', 0],
  ] as const)(
    'leave an idle worker with no report timer once its closes are reported (%s)',
    async (policy, inert) => {
      const script = runScript(fixture('ports-idle.mjs'), {
        env: { ...OURS, NODE_CLUSTER_SCHED_POLICY: policy, INERT_TIMERS: String(inert) },
      });
      const { code } = await script.exited(20_000);
      expect(code, script.stderr.join('\n')).toBe(0);
      const line = script.stdout.find((entry) => entry.startsWith('TRACE '));
      const idle = JSON.parse(line?.slice(6) ?? '{}') as { open: number; answers: Array<{ timers: number }> };
      expect(idle.open).toBe(0);
      expect(idle.answers).toHaveLength(2);
      for (const answer of idle.answers) expect(answer.timers).toBe(inert);
    },
    30_000,
  );
});

describe('a close under round-robin', () => {
  // It used to wait for a 5 ms timer, which a worker busy with its next task runs only after that task: the
  // primary saw the connection open all along, and least-connections sent new ones to the busy worker.
  it('is reported at the end of the turn it happened in, before the worker goes on to a long task', async () => {
    const script = runScript(fixture('ports-close-report.mjs'), { env: { ...OURS, NODE_CLUSTER_SCHED_POLICY: 'rr' } });
    const { code } = await script.exited(20_000);
    expect(code, script.stderr.join('\n')).toBe(0);
    const line = script.stdout.find((entry) => entry.startsWith('TRACE '));
    const closed = JSON.parse(line?.slice(6) ?? '{}') as { seenClosedAfter: number | null; busyMs: number };
    expect(closed.seenClosedAfter).not.toBeNull();
    expect(closed.seenClosedAfter).toBeLessThan(closed.busyMs / 2);
  }, 30_000);
});
