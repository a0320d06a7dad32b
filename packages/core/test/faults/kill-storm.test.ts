import { type Impl, killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, type LoadResult, load, startCluster, tracesOf } from './helpers.ts';

afterEach(() => killAll());

const REQUESTS = 3000;
const CONCURRENCY = 16;
const KILLS = 20;
const KILL_EVERY_MS = 150;
/** How long a request may go unanswered before it counts as hung. */
const HUNG_AFTER_MS = 5_000;

/**
 * 3 round-robin workers serve short requests while one of them, picked at random, is SIGKILLed
 * every 150 ms (never the last one listening, 20 times) and the primary forks a replacement. The
 * load goes on until the storm is over and at least 3000 requests were made.
 */
async function storm(impl: Impl): Promise<LoadResult & { kills: number }> {
  const { script, ready } = await startCluster(impl, { WORKERS: '3', RESPAWN: '1' });
  let kills = 0;
  let stormOver: () => void = () => {};
  const over = new Promise<void>((resolve) => {
    stormOver = resolve;
  });
  const killer = setInterval(() => {
    if (kills >= KILLS) {
      clearInterval(killer);
      stormOver();
      return;
    }
    const exited = new Set(tracesOf(script, 'exit').map((entry) => entry.pid));
    const live = tracesOf(script, 'listening')
      .map((entry) => entry.pid as number)
      .filter((pid) => !exited.has(pid) && isAlive(pid));
    if (live.length < 2) return;
    const victim = live[Math.floor(Math.random() * live.length)] as number;
    try {
      process.kill(victim, 'SIGKILL');
      kills++;
    } catch {
      // Gone already.
    }
  }, KILL_EVERY_MS);
  try {
    const result = await load(ready.port, REQUESTS, {
      concurrency: CONCURRENCY,
      timeout: HUNG_AFTER_MS,
      until: over,
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
    const unanswered = (run: LoadResult & { kills: number }) => (run.errors + run.hung) / Math.max(run.kills, 1);
    const report = JSON.stringify({ node, ours });
    expect(ours.kills, report).toBe(KILLS);
    expect(node.kills, report).toBe(KILLS);
    expect(ours.hung, report).toBe(0);
    expect(unanswered(ours), report).toBeLessThanOrEqual(unanswered(node));
    console.log(`kill storm: ${report}`);
  });
});
