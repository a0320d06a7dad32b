import { groupMembers, killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from './helpers.ts';

afterEach(() => killAll());

/** How long a worker may take to notice that its primary is gone and exit. */
const GONE_WITHIN_MS = 10_000;
const POLL_MS = 50;

/** Runs the orphans fixture on one implementation; resolves with the workers still alive after the wait. */
async function leftovers(impl: 'node' | 'ours', when: string, kind: string): Promise<number[]> {
  const script = runScript(fixture('orphans.mjs'), {
    args: [when, kind],
    env: { CLUSTER_IMPL: impl, CLUSTER_OURS: '@cluster/facade' },
    timeout: GONE_WITHIN_MS + 5_000,
  });
  const { signal } = await script.exited();
  expect(signal, script.stderr.join('\n')).toBe('SIGKILL');
  const forked = script.stdout.find((line) => line.includes('"forked"'));
  expect(forked, script.stderr.join('\n')).toBeDefined();
  // The workers stay in the primary's process group (its pid) after it died.
  const group = script.child.pid as number;
  const deadline = Date.now() + GONE_WITHIN_MS;
  let alive = await groupMembers(group);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    alive = await groupMembers(group);
  }
  return alive;
}

describe('a worker whose primary is gone during its start-up', () => {
  describe.each(['cjs', 'mjs'])('with a %s main', (kind) => {
    it.each(['0', '25', '50', '100', '200', 'online'])(
      'exits, as under node:cluster, when the primary is killed %s ms after fork() (no orphans)',
      async (when) => {
        const [node, ours] = await Promise.all([leftovers('node', when, kind), leftovers('ours', when, kind)]);
        expect(node).toEqual([]);
        expect(ours).toEqual([]);
      },
    );
  });
});
