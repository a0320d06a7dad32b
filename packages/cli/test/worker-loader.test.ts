import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveAppEntry } from '../src/run/app-entry.ts';
import { fixture } from './helpers.ts';

afterEach(() => killAll());

/** The CLI's own worker preload, as built. */
const PRELOAD_FLAG = `--require=${fileURLToPath(new URL('../dist/worker-preload.cjs', import.meta.url))}`;

describe('what cluster run preloads into a worker', () => {
  // Neither worker bootstrap adds an --import (node:cluster's has none; ours is a --require), so this shows
  // what the CLI's flags do alone: a --require hook keeps a CommonJS main on the synchronous loader, where
  // an --import would not.
  describe.each(['node', 'ours'])('on %s', (impl) => {
    it.each(['echo.cjs', 'echo.cts'])(
      'keeps a CommonJS %s on the CommonJS loader: its top-level listener hears a message sent at online',
      async (app) => {
        const entry = resolveAppEntry(fixture(app), []);
        expect(entry.execArgv.every((flag) => !flag.startsWith('--import'))).toBe(true);
        const script = runScript(fixture('echo-primary.mjs'), {
          env: {
            CLUSTER_IMPL: impl,
            APP: entry.file,
            EXEC_ARGV: JSON.stringify([...entry.execArgv, PRELOAD_FLAG]),
            ...entry.env,
          },
        });
        const line = await script.waitForLine((text) => text.startsWith('heard') || text === 'nothing heard');
        expect(line).toBe('heard {"echo":{"job":1}}');
        await script.exited();
      },
    );

    // The user's own --import (a node argument) still puts the main on the ESM loader, which knows no
    // .cts without tsx's ESM hooks (ERR_UNKNOWN_FILE_EXTENSION): the preload registers them then.
    it("loads a CommonJS TypeScript main that the user's own --import puts on the ESM loader", async () => {
      const userImport = '--import=data:text/javascript,';
      const entry = resolveAppEntry(fixture('hello.cts'), [userImport]);
      const script = runScript(fixture('echo-primary.mjs'), {
        env: {
          CLUSTER_IMPL: impl,
          APP: entry.file,
          EXEC_ARGV: JSON.stringify([userImport, ...entry.execArgv, PRELOAD_FLAG]),
          ...entry.env,
        },
      });
      const line = await script.waitForLine((text) => text.startsWith('heard') || text === 'nothing heard');
      expect(line).toBe('heard {"hello":"cts"}');
      await script.exited();
    });
  });
});
