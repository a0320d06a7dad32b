import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

afterEach(() => killAll());

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('one copy of each package in a process', () => {
  it('gives @cluster/core, @cluster/facade and @cluster/worker one Worker class and one cluster, in every process', async () => {
    const script = runScript(fixture('one-copy.mjs'));
    const { code } = await script.exited(20_000);
    expect(code, script.stderr.join('\n')).toBe(0);
    const traces = script.stdout
      .filter((line) => line.startsWith('TRACE '))
      .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
    const sorted = traces.sort((a, b) => String(a.event + String(a.kind)).localeCompare(b.event + String(b.kind)));
    expect(sorted).toEqual([
      { event: 'done' },
      {
        event: 'primary',
        sameCluster: true,
        sameWorkerClass: true,
        requiredWorkerClass: true,
        forkedIsWorker: true,
        workersTable: true,
      },
      { event: 'worker', kind: 'cjs', sameCluster: true, sameWorkerClass: true, ownWorkerIsWorker: true },
      {
        event: 'worker',
        kind: 'esm',
        sameCluster: true,
        sameWorkerClass: true,
        requiredWorkerClass: true,
        ownWorkerIsWorker: true,
      },
    ]);
  });
});
