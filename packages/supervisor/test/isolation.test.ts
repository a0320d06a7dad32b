import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { get, IMPLS, startPrimary } from './helpers.ts';

afterEach(() => killAll());

describe.each(IMPLS)("the supervisor's messages on %s", (impl) => {
  it("never reach user 'message' listeners, in the primary or in the workers", async () => {
    const primary = await startPrimary(impl, {
      // Many beats, but no false alarm on a loaded machine: 2 s of silence allowed.
      options: { workers: 2, readiness: { on: 'message' }, heartbeat: { interval: 20, maxMissed: 100 } },
      env: { APP_READY: 'message', GREET_WORKERS: '1' },
    });
    expect((await get(primary.port, '/send?m=ping')).error).toBeUndefined();
    // A reload: hellos, heartbeats, and drain requests and replies to both old workers.
    primary.signal('SIGHUP');
    const done = await primary.waitFor('reloads-done');
    expect(done.beats).toBeGreaterThan(0);

    const userMessages = primary.trace().filter((entry) => entry.event === 'user-message');
    for (const from of ['cluster', 'worker']) {
      const got = userMessages.filter((entry) => entry.from === from).map((entry) => entry.message);
      expect(got.sort()).toEqual(['ping', 'ready', 'ready', 'ready', 'ready']);
    }
    // The old workers, gone after their drain, say what their own listener received.
    const old = primary.trace().find((entry) => entry.event === 'all-ready')?.pids as number[];
    await expect.poll(() => primary.script.stdout.filter((line) => line.startsWith('RECEIVED ')).length).toBe(2);
    const received = primary.script.stdout.filter((line) => line.startsWith('RECEIVED '));
    expect(received.sort()).toEqual(old.map((pid) => `RECEIVED ${pid} ["hello-worker"]`).sort());
  }, 30_000);
});
