import { type Impl, killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { control, eventually, get, isAlive, startCluster } from './helpers.ts';

afterEach(() => killAll());

/** How long workers may take to notice that their primary is gone and leave. */
const ORPHAN_TIMEOUT_MS = 10_000;

type Death = 'SIGKILL' | 'SIGTERM' | 'uncaught exception';

/** Starts 2 listening workers, kills their primary the given way, and counts the workers still alive after. */
async function orphansAfter(impl: Impl, death: Death): Promise<{ left: number; primary: unknown }> {
  const { script, ready } = await startCluster(impl, { WORKERS: '2' });
  expect(ready.workers).toHaveLength(2);
  // Up and serving.
  expect(await get(ready.port)).toHaveProperty('ok');
  if (death === 'uncaught exception') await control(ready.control, '/throw');
  else process.kill(ready.pid, death);
  const primary = await script.exited(ORPHAN_TIMEOUT_MS);
  await eventually(() => ready.workers.every((pid) => !isAlive(pid)), ORPHAN_TIMEOUT_MS);
  return { left: ready.workers.filter(isAlive).length, primary };
}

describe.each<Death>(['SIGKILL', 'SIGTERM', 'uncaught exception'])(
  'the primary dies by %s with its workers up, side by side with node:cluster',
  (death) => {
    it('leaves no worker behind', { timeout: 60_000 }, async () => {
      const node = await orphansAfter('node', death);
      const ours = await orphansAfter('ours', death);
      expect(node.left).toBe(0);
      expect(ours.left).toBe(0);
      expect(ours.primary).toEqual(node.primary);
    });
  },
);
