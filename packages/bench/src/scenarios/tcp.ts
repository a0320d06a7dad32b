import { type Context, measured } from '../measure.ts';
import { start, stop } from '../proc.ts';
import type { Comparison } from '../results.ts';
import { fixture, LOAD_CPU, serverCpu, startServer } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

const CONCURRENCY = 32;

/** Raw TCP handoff: the server writes one byte and closes; what does each connection cost? */
export async function tcpScenario(ctx: Context): Promise<ScenarioOutput> {
  const durationMs = ctx.smoke ? 300 : 3000;
  const setup = `Node client (fixtures/tcp-client.mjs), ${CONCURRENCY} connections at a time for ${durationMs} ms, pinned to CPU 1; servers unpinned; ${ctx.reps} interleaved runs each`;
  const cases = createCases();
  const runs: Array<[string, string, number, string]> = [['single', 'single', 0, 'rr']];
  for (const [name, policy] of [
    ['rr×2', 'rr'],
    ['none×2', 'none'],
  ] as const) {
    for (const impl of ['ours', 'node']) runs.push([name, impl, 2, policy]);
  }
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const [config, impl, workers, policy] of runs) {
      const sample = await measured(ctx, `tcp ${config} ${impl}`, async () => {
        const server = await startServer({ impl, kind: 'tcp', workers, policy }, durationMs + 60_000);
        try {
          const before = serverCpu(server);
          const client = start(
            process.execPath,
            [fixture('tcp-client.mjs'), String(server.port), String(CONCURRENCY), String(durationMs)],
            { cpus: LOAD_CPU, timeout: durationMs + 30_000 },
          );
          const result = await client.json<{ connections: number; errors: number; elapsedMs: number }>(
            (v) => typeof v.connections === 'number',
            durationMs + 30_000,
          );
          await client.exited;
          const after = serverCpu(server);
          const primary = after.primary - before.primary;
          const workersCpu = after.workers - before.workers;
          return {
            connectionsPerSec: (result.connections / result.elapsedMs) * 1e3,
            errors: result.errors,
            primaryCpuPerConnUs: primary / result.connections,
            workerCpuPerConnUs: workersCpu / result.connections,
            serverCpuPerConnUs: (primary + workersCpu) / result.connections,
          };
        } finally {
          await stop(server.proc);
        }
      });
      cases.add(config, impl, sample);
    }
  }
  const comparisons: Comparison[] = [];
  for (const config of ['rr×2', 'none×2']) {
    const pair = { ours: { config, impl: 'ours' }, base: { config, impl: 'node' } };
    const rr = config === 'rr×2';
    comparisons.push(
      {
        label: `TCP ${config}: primary CPU per connection`,
        metric: 'primaryCpuPerConnUs',
        unit: 'µs',
        ...pair,
        better: 'lower',
        ...(rr ? { target: 1.0, source: '#3', headline: true } : {}),
      },
      {
        label: `TCP ${config}: worker CPU per connection`,
        metric: 'workerCpuPerConnUs',
        unit: 'µs',
        ...pair,
        better: 'lower',
        ...(rr ? { target: 1.0, source: '#3', headline: true } : {}),
      },
      {
        label: `TCP ${config}: connections/s`,
        metric: 'connectionsPerSec',
        unit: 'conn/s',
        ...pair,
        better: 'higher',
      },
    );
  }
  return { setup, cases: cases.list(), comparisons };
}
