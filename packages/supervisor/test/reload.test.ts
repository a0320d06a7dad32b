import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPLS, minCapacity, startLoad, startPrimary } from './helpers.ts';

afterEach(() => killAll());

const WORKERS = 4;
const RELOADS = 10;

describe.each(IMPLS)('rolling reload on %s', (impl) => {
  it(`${RELOADS} reloads in a row of ${WORKERS} workers under HTTP load: no failed request, no reset, capacity never below ${WORKERS}`, async () => {
    const primary = await startPrimary(impl, {
      options: { workers: WORKERS, heartbeat: { interval: 500 } },
      // Each answer takes a while, so that every drain finds requests in flight.
      env: { RELOADS: String(RELOADS), APP_DELAY_MS: '20' },
      timeout: 150_000,
    });
    const before = primary.trace().find((entry) => entry.event === 'all-ready')?.pids as number[];
    const load = startLoad(primary.port, { keepAlive: 3, fresh: 3 });
    await load.served(50);
    primary.signal('SIGHUP');
    const done = await primary.waitFor('reloads-done', () => true, 120_000);
    await load.served(50);
    const stats = await load.stop();

    const trace = primary.trace();
    const reloaded = trace.filter((entry) => entry.event === 'reloaded');
    expect(reloaded.map((entry) => entry.replaced)).toEqual(Array(RELOADS).fill(WORKERS));
    expect(stats.errors).toEqual([]);
    expect(stats).toMatchObject({ failed: 0, resets: 0 });
    expect(stats.keepAlive).toBeGreaterThan(0);
    expect(stats.fresh).toBeGreaterThan(0);
    // Every pass replaced every slot, one worker at a time, each new worker before its old one drained.
    const isSighup = (entry: { event: string }) => entry.event === 'reloadStart';
    expect(minCapacity(trace, isSighup, (entry) => entry.event === 'reloads-done')).toBeGreaterThanOrEqual(WORKERS);
    const forks = trace.filter((entry) => entry.event === 'fork' && entry.reason === 'reload');
    expect(forks).toHaveLength(RELOADS * WORKERS);
    const after = done.pids as number[];
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    // Requests were served all along, by the old workers and by the new ones.
    expect(stats.byPid.size).toBeGreaterThan(2 * WORKERS);
    expect(trace.filter((entry) => entry.event === 'kill')).toEqual([]);
    expect(trace.filter((entry) => entry.event === 'exit' && entry.expected !== true)).toEqual([]);
    console.log(
      `${impl}: ${stats.ok} requests (${stats.keepAlive} keep-alive, ${stats.fresh} new connections), 0 failed, over ${RELOADS} reloads`,
    );
  }, 160_000);
});
