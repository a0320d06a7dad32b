import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { both } from './helpers.ts';

afterEach(() => killAll());

const messages = (trace: Array<{ event: string; message?: unknown }>) =>
  trace.filter((entry) => entry.event === 'message').map((entry) => entry.message);

const EARLY_ECHOES = [{ got: { at: 'fork' } }, { got: { at: 'online' } }].map((echo) => JSON.stringify(echo));
const isEarly = (message: unknown) => EARLY_ECHOES.includes(JSON.stringify(message));

describe('what a worker receives, by the module kind of its main', () => {
  // A CommonJS main runs before the worker reads any message, as under node:cluster: nothing is lost.
  it.each(['js', 'cjs'])(
    'a CommonJS main (.%s) gets the messages sent at fork() and at online, as under node:cluster',
    async (kind) => {
      const { node, ours } = await both('module-kinds.mjs', { args: [kind] });
      expect(ours).toEqual(node);
      expect(messages(ours)).toEqual([
        'ready',
        { got: { at: 'fork' } },
        { got: { at: 'online' } },
        { got: { at: 'ready' } },
      ]);
    },
  );

  // An ES module main loads asynchronously, after 'online': on either implementation the messages sent at
  // fork() and at online may arrive before its listener and be dropped, never later than the worker's next.
  it('an ES module main (.mjs) gets what it gets under node:cluster', async () => {
    const { node, ours } = await both('module-kinds.mjs', { args: ['mjs'] });
    for (const trace of [node, ours]) {
      const got = messages(trace);
      expect(got.filter((message) => !isEarly(message))).toEqual(['ready', { got: { at: 'ready' } }]);
      expect(got.slice(1, -1).every(isEarly)).toBe(true);
      expect(trace.at(-1)).toEqual({ event: 'exit', code: 0, signal: null });
    }
  });
});
