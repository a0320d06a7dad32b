import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

afterEach(() => killAll());

async function printed(file: string) {
  const script = runScript(`${fixtures}${file}`);
  const { code } = await script.exited();
  expect({ code, stderr: script.stderr.filter(Boolean) }).toEqual({ code: 0, stderr: [] });
  return JSON.parse(script.stdout[0] ?? 'null');
}

describe('@cluster/core imports', () => {
  it('offers the default export and every named export, the same object as require gives', async () => {
    expect(await printed('imports.mjs')).toEqual({
      required: true,
      esModule: false,
      named: true,
      fork: true,
      workers: true,
      Worker: true,
      SCHED_RR: true,
    });
  });

  it('gives CommonJS the cluster object itself, with every member node:cluster has', async () => {
    expect(await printed('imports.cjs')).toEqual({ esModule: false, isPrimary: true, missing: [] });
  });
});
