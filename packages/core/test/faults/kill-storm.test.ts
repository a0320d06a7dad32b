import { type Impl, killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, type LoadResult, startCluster, steadyLoad, tracesOf } from './helpers.ts';

afterEach(() => killAll());

const REQUESTS = 3000;
/** Requests started per second, whatever becomes of the ones before: both runs get the same load. */
const RATE = 300;
const KILL_EVERY_MS = 150;
const WORKERS = 3;
/** How long a request may go unanswered before it counts as hung. */
const HUNG_AFTER_MS = 5_000;

/**
 * 3 round-robin workers serve short requests (300 a second, each on its own connection, 3000 in
 * all) while one of them, at random, is SIGKILLed every 150 ms (when all 3 are listening) and the
 * primary forks a replacement.
 */
async function storm(impl: Impl): Promise<LoadResult & { kills: number }> {
  const { script, ready } = await startCluster(impl, { WORKERS: String(WORKERS), RESPAWN: '1' });
  let kills = 0;
  const killer = setInterval(() => {
    const exited = new Set(tracesOf(script, 'exit').map((entry) => entry.pid));
    const live = tracesOf(script, 'listening')
      .map((entry) => entry.pid as number)
      .filter((pid) => !exited.has(pid) && isAlive(pid));
    // Only a whole cluster loses a worker, so that each kill finds the load spread as thin, whichever
    // implementation (and however slowly its replacements start on a loaded machine).
    if (live.length < WORKERS) return;
    const victim = live[Math.floor(Math.random() * live.length)] as number;
    try {
      process.kill(victim, 'SIGKILL');
      kills++;
    } catch {
      // Gone already.
    }
  }, KILL_EVERY_MS);
  try {
    // The storm lasts while requests are being started (6 s), the same for both.
    const result = await steadyLoad(ready.port, REQUESTS, {
      rate: RATE,
      timeout: HUNG_AFTER_MS,
      onStarted: () => clearInterval(killer),
    });
    return { ...result, kills };
  } finally {
    clearInterval(killer);
    script.kill();
  }
}

describe('a kill storm under load, side by side with node:cluster', () => {
  it('leaves no request hung, and no more unanswered per kill than node:cluster', { timeout: 150_000 }, async () => {
    const node = await storm('node');
    const ours = await storm('ours');
    // Unanswered: reset with the worker that held it, or never answered at all.
    const unanswered = (run: LoadResult & { kills: number }) => (run.errors + run.hung) / Math.max(run.kills, 1);
    const report = JSON.stringify({ node, ours });
    console.log(`kill storm: ${report}`);
    expect(ours.kills, report).toBeGreaterThanOrEqual(5);
    expect(node.kills, report).toBeGreaterThanOrEqual(5);
    expect(ours.hung, report).toBe(0);
    expect(ours.ok + ours.errors, report).toBe(REQUESTS);
    expect(unanswered(ours), report).toBeLessThanOrEqual(unanswered(node));
  });
});
