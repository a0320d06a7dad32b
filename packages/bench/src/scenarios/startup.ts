import { type Context, measured } from '../measure.ts';
import { start } from '../proc.ts';
import { median } from '../results.ts';
import { fixture } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

const FORKS = 20;

/** The configurations, each run for both implementations: the worker's main, and where everything runs. */
const CONFIGS = [
  { config: 'unpinned', main: 'esm', pinned: false },
  { config: 'pinned', main: 'esm', pinned: true },
  // A CommonJS main, which Node starts without its ES module loader: the preloads' cost shows undiluted.
  { config: 'cjs main', main: 'cjs', pinned: false },
] as const;

/** fork() → online → listening, one worker at a time; then an idle worker's and the primary's RSS. */
export async function startupScenario(ctx: Context): Promise<ScenarioOutput> {
  const forks = ctx.smoke ? 3 : FORKS;
  const setup = `${forks} forks one after another per run (median of the run), an HTTP server on port 0 in each, the worker's main an ES module (cjs main: a CommonJS one, which also times its preloads, from a \`--require\` put before the cluster's own to its first line); RSS of one idle worker 500 ms after listening; pinned: everything on CPU 0; ${ctx.reps} interleaved runs each`;
  const cases = createCases();
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const { config, main, pinned } of CONFIGS) {
      for (const impl of ['ours', 'node']) {
        const sample = await measured(ctx, `startup ${config} ${impl}`, async () => {
          const proc = start(process.execPath, [fixture('startup.mjs')], {
            env: { BENCH_IMPL: impl, BENCH_COUNT: String(forks), BENCH_MAIN: main },
            ...(pinned ? { cpus: '0' } : {}),
            timeout: 120_000,
          });
          const result = await proc.json<{
            online: number[];
            listening: number[];
            bootstrap: number[];
            workerRssKiB: number;
            primaryRssKiB: number;
          }>((v) => Array.isArray(v.online), 120_000);
          await proc.exited;
          return {
            onlineMs: median(result.online),
            listeningMs: median(result.listening),
            ...(main === 'cjs' ? { bootstrapMs: median(result.bootstrap) } : {}),
            workerRssMiB: result.workerRssKiB / 1024,
            primaryRssMiB: result.primaryRssKiB / 1024,
          };
        });
        cases.add(config, impl, sample);
      }
    }
  }
  const pair = (config: string) => ({ ours: { config, impl: 'ours' }, base: { config, impl: 'node' } });
  return {
    setup,
    cases: cases.list(),
    comparisons: [
      { label: 'fork() → online', metric: 'onlineMs', unit: 'ms', ...pair('unpinned'), better: 'lower' },
      {
        label: 'fork() → listening',
        metric: 'listeningMs',
        unit: 'ms',
        ...pair('unpinned'),
        better: 'lower',
        target: 1,
        source: '#16',
        headline: true,
      },
      { label: 'fork() → online, pinned', metric: 'onlineMs', unit: 'ms', ...pair('pinned'), better: 'lower' },
      {
        label: 'fork() → listening, pinned',
        metric: 'listeningMs',
        unit: 'ms',
        ...pair('pinned'),
        better: 'lower',
        target: 1,
        source: '#16',
      },
      {
        label: 'fork() → listening, CommonJS main',
        metric: 'listeningMs',
        unit: 'ms',
        ...pair('cjs main'),
        better: 'lower',
      },
      {
        label: 'preloads before a CommonJS main',
        metric: 'bootstrapMs',
        unit: 'ms',
        ...pair('cjs main'),
        better: 'lower',
      },
      {
        label: 'idle worker RSS',
        metric: 'workerRssMiB',
        unit: 'MiB',
        ...pair('unpinned'),
        better: 'lower',
        target: 1,
        source: '#16',
        headline: true,
      },
      {
        label: 'idle worker RSS, CommonJS main',
        metric: 'workerRssMiB',
        unit: 'MiB',
        ...pair('cjs main'),
        better: 'lower',
      },
      { label: 'primary RSS', metric: 'primaryRssMiB', unit: 'MiB', ...pair('unpinned'), better: 'lower' },
    ],
  };
}
