import { type Context, measured } from '../measure.ts';
import { start } from '../proc.ts';
import { fixture } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

const WORKERS = 32;

/** 32 workers on one port: time until all listen, then until all exit after disconnect(). */
export async function scaleScenario(ctx: Context): Promise<ScenarioOutput> {
  const workers = ctx.smoke ? 4 : WORKERS;
  const setup = `${workers} workers forked at once, each an HTTP server on port 0 (one shared port); then cluster.disconnect(); ${ctx.reps} interleaved runs each`;
  const cases = createCases();
  const config = `${workers} workers`;
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const impl of ['ours', 'node']) {
      const sample = await measured(ctx, `scale ${impl}`, async () => {
        const proc = start(process.execPath, [fixture('scale.mjs')], {
          env: { BENCH_IMPL: impl, BENCH_WORKERS: String(workers) },
          timeout: 120_000,
        });
        const result = await proc.json<Record<string, number>>((v) => typeof v.allListeningMs === 'number', 120_000);
        await proc.exited;
        if (result.ports !== 1) throw new Error(`${impl}: workers listened on ${result.ports} ports, not one`);
        return {
          allListeningMs: result.allListeningMs ?? Number.NaN,
          allExitedMs: result.allExitedMs ?? Number.NaN,
          primaryCpuMs: result.primaryCpuMs ?? Number.NaN,
        };
      });
      cases.add(config, impl, sample);
    }
  }
  const pair = { ours: { config, impl: 'ours' }, base: { config, impl: 'node' } };
  return {
    setup,
    cases: cases.list(),
    comparisons: [
      { label: `${workers} workers: all listening`, metric: 'allListeningMs', unit: 'ms', ...pair, better: 'lower' },
      { label: `${workers} workers: all exited`, metric: 'allExitedMs', unit: 'ms', ...pair, better: 'lower' },
      { label: `${workers} workers: primary CPU`, metric: 'primaryCpuMs', unit: 'ms', ...pair, better: 'lower' },
    ],
  };
}
