import { type Context, measured } from '../measure.ts';
import { stop } from '../proc.ts';
import type { Comparison } from '../results.ts';
import { runWrk, serverCpu, startServer, WRK, WRK_MISSING } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

interface Layout {
  name: string;
  workers: number;
  policy: string;
}

const LAYOUTS: Layout[] = [
  { name: 'rr×1', workers: 1, policy: 'rr' },
  { name: 'rr×2', workers: 2, policy: 'rr' },
  { name: 'none×2', workers: 2, policy: 'none' },
];
const CONNECTIONS = 32;

export async function httpScenario(ctx: Context): Promise<ScenarioOutput> {
  const durationS = ctx.smoke ? 1 : 3;
  const setup = `wrk -t1 -c${CONNECTIONS} -d${durationS}s, pinned to CPU 1 (taskset); servers unpinned; ${ctx.reps} interleaved runs each`;
  if (WRK === undefined) return { setup, cases: [], comparisons: [], skipped: WRK_MISSING };
  const layouts = ctx.smoke ? LAYOUTS.filter((layout) => layout.name === 'rr×2') : LAYOUTS;
  const cases = createCases();
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const close of [false, true]) {
      const mode = close ? 'close' : 'keep-alive';
      const runs: Array<[string, string, Layout]> = [
        [`${mode} single`, 'single', { name: 'single', workers: 0, policy: 'rr' }],
      ];
      for (const layout of layouts) {
        for (const impl of ['ours', 'node']) runs.push([`${mode} ${layout.name}`, impl, layout]);
      }
      for (const [config, impl, layout] of runs) {
        const sample = await measured(ctx, `http ${config} ${impl}`, async () => {
          const server = await startServer(
            { impl, kind: 'http', workers: layout.workers, policy: layout.policy },
            (durationS + 60) * 1000,
          );
          try {
            const before = serverCpu(server);
            const wrk = await runWrk({ port: server.port, durationS, connections: CONNECTIONS, close });
            const after = serverCpu(server);
            const primary = after.primary - before.primary;
            const workers = after.workers - before.workers;
            return {
              requestsPerSec: wrk.requestsPerSec,
              p99Ms: wrk.p99Ms,
              errors: wrk.errors,
              primaryCpuPerReqUs: primary / wrk.requests,
              workerCpuPerReqUs: workers / wrk.requests,
              serverCpuPerReqUs: (primary + workers) / wrk.requests,
            };
          } finally {
            await stop(server.proc);
          }
        });
        cases.add(config, impl, sample);
      }
    }
  }
  const comparisons: Comparison[] = [];
  for (const mode of ['keep-alive', 'close']) {
    for (const layout of layouts) {
      const config = `${mode} ${layout.name}`;
      comparisons.push({
        label: `HTTP ${config}: throughput`,
        metric: 'requestsPerSec',
        unit: 'req/s',
        ours: { config, impl: 'ours' },
        base: { config, impl: 'node' },
        better: 'higher',
        ...(mode === 'keep-alive' ? { target: 0.95, source: '#3', headline: layout.name === 'rr×2' } : {}),
      });
      comparisons.push({
        label: `HTTP ${config}: server CPU per request`,
        metric: 'serverCpuPerReqUs',
        unit: 'µs',
        ours: { config, impl: 'ours' },
        base: { config, impl: 'node' },
        better: 'lower',
      });
      if (layout.policy === 'rr' && mode === 'close') {
        comparisons.push({
          label: `HTTP ${config}: primary CPU per request`,
          metric: 'primaryCpuPerReqUs',
          unit: 'µs',
          ours: { config, impl: 'ours' },
          base: { config, impl: 'node' },
          better: 'lower',
        });
      }
    }
  }
  return { setup, cases: cases.list(), comparisons };
}
