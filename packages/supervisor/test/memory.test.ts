import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { get, IMPLS, startLoad, startPrimary } from './helpers.ts';

afterEach(() => killAll());

const LIMIT = 150 * 1024 * 1024;

describe.each(IMPLS)('the memory limit on %s', (impl) => {
  it('replaces a worker whose RSS stays above the limit through the rolling path, failing no request', async () => {
    const primary = await startPrimary(impl, {
      // Allowing 2 s of silence: filling 160 MiB on a loaded machine is no hang.
      options: { workers: 2, heartbeat: { interval: 100, maxMissed: 20 }, memoryLimit: '150M' },
      env: { APP_DELAY_MS: '10' },
    });
    const load = startLoad(primary.port, { keepAlive: 2, fresh: 2 });
    await load.served(20);
    const grown = await get(primary.port, '/grow?mb=160');
    expect(grown.error).toBeUndefined();
    const over = await primary.waitFor('memoryLimit');
    expect(over.pid).toBe(grown.pid);
    expect(over.rss).toBeGreaterThan(LIMIT);
    expect(over.limit).toBe(LIMIT);
    const replacement = await primary.waitFor('fork', (entry) => entry.reason === 'memory');
    await primary.waitFor('exit', (entry) => entry.pid === grown.pid);
    await load.served(20);
    const stats = await load.stop();

    expect(stats.errors).toEqual([]);
    expect(stats).toMatchObject({ failed: 0, resets: 0 });
    expect(replacement.slot).toBe(over.slot);
    const trace = primary.trace();
    const at = (event: string, test: (entry: (typeof trace)[number]) => boolean) =>
      trace.findIndex((entry) => entry.event === event && test(entry));
    // Surge first: the new worker was ready before the old one began to drain, which it did by itself.
    expect(at('ready', (entry) => entry.pid === replacement.pid)).toBeLessThan(
      at('drain', (entry) => entry.pid === grown.pid),
    );
    expect(trace.find((entry) => entry.event === 'exit' && entry.pid === grown.pid)).toMatchObject({ expected: true });
    expect(trace.filter((entry) => entry.event === 'kill')).toEqual([]);
    expect(stats.byPid.get(replacement.pid as number)).toBeGreaterThan(0);
  }, 30_000);
});
