import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { get, IMPLS, startLoad, startPrimary, tempApp } from './helpers.ts';

const apps: Array<{ remove(): void }> = [];
afterEach(() => {
  killAll();
  for (const app of apps.splice(0)) app.remove();
});

describe.each(IMPLS)('a reload to a broken version on %s', (impl) => {
  it('stops at the first slot with its code, fails no request, and leaves every old worker serving', async () => {
    const app = tempApp();
    apps.push(app);
    const primary = await startPrimary(impl, {
      app: app.file,
      options: { workers: 2, readiness: { timeout: 1_500 }, drain: { killTimeout: 1_000 } },
      env: { APP_DELAY_MS: '10' },
      timeout: 60_000,
    });
    const before = primary.trace().find((entry) => entry.event === 'all-ready')?.pids as number[];
    const load = startLoad(primary.port, { keepAlive: 2, fresh: 2 });
    await load.served(20);

    // Workers that throw at start.
    app.deploy('app-throws.cjs');
    primary.signal('SIGHUP');
    const threw = await primary.waitFor('reload-failed', (entry) => entry.i === 0);
    expect(threw).toMatchObject({ code: 'ERR_CLUSTER_RELOAD_FAILED', slot: 0, cause: 'ERR_CLUSTER_WORKER_EXITED' });
    expect(threw.pids).toEqual(before);
    expect(threw.states).toEqual(['ready', 'ready']);
    await load.served(20);

    // Workers that never become ready: killed at the readiness timeout.
    app.deploy('app-never-ready.cjs');
    const failures = () => primary.trace().filter((entry) => entry.event === 'reload-failed').length;
    primary.signal('SIGHUP');
    await expect.poll(failures, { timeout: 20_000 }).toBe(2);
    const hung = primary.trace().filter((entry) => entry.event === 'reload-failed')[1];
    expect(hung).toMatchObject({ code: 'ERR_CLUSTER_RELOAD_FAILED', slot: 0, cause: 'ERR_CLUSTER_READY_TIMEOUT' });
    expect(hung?.pids).toEqual(before);
    const kills = primary.trace().filter((entry) => entry.event === 'kill');
    expect(kills.map((entry) => [entry.slot, entry.signal, entry.reason])).toEqual([[0, 'SIGTERM', 'not-ready']]);
    await load.served(20);
    const stats = await load.stop();
    expect(stats.errors).toEqual([]);
    expect(stats).toMatchObject({ failed: 0, resets: 0 });

    // Both old workers still answer, and nothing else does.
    const seen = new Set<number>();
    for (let i = 0; i < 20 && seen.size < 2; i++) {
      const answer = await get(primary.port);
      expect(answer.error).toBeUndefined();
      seen.add(answer.pid as number);
    }
    expect([...seen].sort()).toEqual([...before].sort());
    // The failed new workers were the only ones that ever left.
    const exits = primary.trace().filter((entry) => entry.event === 'exit');
    expect(exits.every((entry) => !before.includes(entry.pid as number))).toBe(true);
    expect(exits).toHaveLength(2);

    // A good version again: the next reload goes through.
    app.deploy('app.cjs');
    primary.signal('SIGHUP');
    const fixed = await primary.waitFor('reloaded');
    expect(fixed.replaced).toBe(2);
  }, 60_000);
});
