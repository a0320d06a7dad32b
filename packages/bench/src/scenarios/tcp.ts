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
  // The balanced kernel-accept mode (#16 target 3) is ours only; node's round-robin and a single process are its
  // reference points. Four workers too: that is where the kernel alone balances worst.
  runs.push(
    ['balanced×2', 'ours', 2, 'balanced'],
    ['balanced×4', 'ours', 4, 'balanced'],
    ['none×4', 'node', 4, 'none'],
  );
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
          const result = await client.json<{
            connections: number;
            errors: number;
            elapsedMs: number;
            byWorker: Record<string, number>;
          }>((v) => typeof v.connections === 'number', durationMs + 30_000);
          await client.exited;
          const after = serverCpu(server);
          const primary = after.primary - before.primary;
          const workersCpu = after.workers - before.workers;
          return {
            connectionsPerSec: (result.connections / result.elapsedMs) * 1e3,
            errors: result.errors,
            primaryCpuPerConnUs: primary / result.connections,
            // A single process is its own worker: what the kernel-accept mode's workers are measured against.
            workerCpuPerConnUs: (workers === 0 ? primary : workersCpu) / result.connections,
            serverCpuPerConnUs: (primary + workersCpu) / result.connections,
            busiestShare: busiestShare(result.byWorker, Math.max(1, workers)),
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
  const balanced = { config: 'balanced×2', impl: 'ours' };
  comparisons.push(
    {
      label: 'TCP balanced×2 vs node rr×2: connections/s',
      metric: 'connectionsPerSec',
      unit: 'conn/s',
      ours: balanced,
      base: { config: 'rr×2', impl: 'node' },
      better: 'higher',
      target: 1.5,
      source: '#16',
      headline: true,
    },
    {
      label: 'TCP balanced×2 vs a single process: worker CPU per connection',
      metric: 'workerCpuPerConnUs',
      unit: 'µs',
      ours: balanced,
      base: { config: 'single', impl: 'single' },
      better: 'lower',
      target: 1.15,
      source: '#16',
      headline: true,
    },
    {
      label: 'TCP balanced×2 vs node rr×2: busiest worker ÷ average',
      metric: 'busiestShare',
      unit: '×',
      ours: balanced,
      base: { config: 'rr×2', impl: 'node' },
      better: 'lower',
    },
    {
      label: 'TCP balanced×4 vs node none×4: busiest worker ÷ average',
      metric: 'busiestShare',
      unit: '×',
      ours: { config: 'balanced×4', impl: 'ours' },
      base: { config: 'none×4', impl: 'node' },
      better: 'lower',
    },
  );
  return { setup, cases: cases.list(), comparisons };
}

/** The busiest worker's connections over the average of `workers` (1 when everyone had the same). */
function busiestShare(byWorker: Record<string, number>, workers: number): number {
  const counts = Object.values(byWorker);
  const total = counts.reduce((sum, count) => sum + count, 0);
  return total === 0 ? Number.NaN : Math.max(...counts) / (total / workers);
}
