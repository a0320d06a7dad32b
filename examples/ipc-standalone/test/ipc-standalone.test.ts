import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const parent = fileURLToPath(new URL('../parent.mjs', import.meta.url));

afterEach(() => killAll());

describe('the standalone @cluster/ipc example', () => {
  it('does typed request/reply with a plain child, then both exit', async () => {
    const run = runScript(parent);
    const { code } = await run.exited(20_000);
    expect(run.stderr.filter(Boolean)).toEqual([]);
    expect(code).toBe(0);
    expect(run.stdout.filter(Boolean)).toEqual([
      expect.stringMatching(/^child \d+ is ready$/),
      '2 + 3 = 5',
      '7 / 2 = 3.5',
      '1 / 0 failed: RangeError ERR_DIVISION_BY_ZERO',
      'child: user message: {"hello":"world"}',
      '3 calls since a Date',
    ]);
  });
});
