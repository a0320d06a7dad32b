import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Impl, killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { get, type LoadResult, load, startCluster } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  killAll();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const REQUESTS = 300;

/**
 * 3 round-robin workers; one answers `/spin` and then loops without yielding until the test
 * creates its flag file. Meanwhile 300 requests are made; the flag is set once all but the ones
 * the looping worker holds are answered, and then the rest are awaited.
 */
async function busyWorker(impl: Impl): Promise<LoadResult & { busy: string; answeredBeforeFlag: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cluster-busy-'));
  dirs.push(dir);
  const flag = path.join(dir, 'flag');
  const { script, ready } = await startCluster(impl, { WORKERS: '3', SPIN_FLAG: flag });
  try {
    const spin = await get(ready.port, '/spin');
    if (!('ok' in spin)) throw new Error(`/spin failed: ${JSON.stringify(spin)}`);
    const busy = spin.ok.split(' ')[1] as string;
    let wake: () => void = () => {};
    const allButOne = new Promise<void>((resolve) => {
      wake = resolve;
    });
    let answeredBeforeFlag = 0;
    const result = load(ready.port, REQUESTS, {
      concurrency: 4,
      timeout: 60_000,
      onAnswer: (done) => {
        answeredBeforeFlag = done;
        if (done >= REQUESTS - 1) wake();
      },
    });
    // Everything but what the looping worker holds (at most one, if it is right) is answered first.
    await Promise.race([result, allButOne]);
    writeFileSync(flag, '');
    return { ...(await result), busy, answeredBeforeFlag };
  } finally {
    writeFileSync(flag, '');
    script.kill();
  }
}

describe('a worker in a busy loop under round-robin, side by side with node:cluster', () => {
  it('gets no new connection while the others serve, and no request fails', { timeout: 120_000 }, async () => {
    const node = await busyWorker('node');
    const ours = await busyWorker('ours');
    const report = JSON.stringify({ node, ours });
    for (const run of [node, ours]) {
      expect(run.errors + run.hung, report).toBe(0);
      expect(run.ok, report).toBe(REQUESTS);
      // At most the one handoff that was on its way when it started looping.
      expect(run.byWorker[run.busy] ?? 0, report).toBeLessThanOrEqual(1);
    }
    console.log(`busy worker: ${report}`);
  });
});
