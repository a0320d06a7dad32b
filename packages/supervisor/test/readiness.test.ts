import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type Answer, get, IMPLS, startPrimary } from './helpers.ts';

afterEach(() => killAll());

describe.each(IMPLS)('readiness by message on %s', (impl) => {
  it('counts a worker ready when it says so, and gives it connections only from then on where it can', async () => {
    const primary = await startPrimary(impl, {
      options: { workers: 2, readiness: { on: 'message', timeout: 1_500 } },
      // Each worker listens at once, but says it is ready only 300 ms later.
      env: { APP_READY: 'message', APP_READY_DELAY_MS: '300' },
    });
    const forks = primary.trace().filter((entry) => entry.event === 'fork');
    const readies = primary.trace().filter((entry) => entry.event === 'ready');
    for (const ready of readies) {
      const fork = forks.find((entry) => entry.pid === ready.pid);
      expect((ready.at as number) - (fork?.at as number)).toBeGreaterThanOrEqual(300);
    }

    // During a reload, a new worker gets connections only once it is ready, where the cluster can
    // hold them back (ours); node:cluster hands it connections as soon as it listens.
    const answers: Array<Promise<Answer & { at: number }>> = [];
    let sending = true;
    const sender = (async () => {
      while (sending) {
        answers.push(get(primary.port).then((answer) => ({ ...answer, at: Date.now() })));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    primary.signal('SIGHUP');
    await primary.waitFor('reloaded');
    sending = false;
    await sender;
    const results = await Promise.all(answers);
    expect(results.filter((answer) => answer.error !== undefined)).toEqual([]);
    if (impl === 'ours') {
      const trace = primary.trace();
      for (const ready of trace.filter((entry) => entry.event === 'ready' && entry.at !== undefined)) {
        const early = results.filter((answer) => answer.pid === ready.pid && answer.at < (ready.at as number));
        expect(early).toEqual([]);
      }
    }
  }, 30_000);
});
