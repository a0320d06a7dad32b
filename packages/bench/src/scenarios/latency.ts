import { type Context, measured } from '../measure.ts';
import { start, stop } from '../proc.ts';
import type { Comparison } from '../results.ts';
import { fixture, LOAD_CPU, type RunningServer, startServer } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

const WORKERS = 2;
/**
 * CPU per request in a fast worker, one level per pass; the slow worker (id 1) spins SLOW_FACTOR× as
 * long. Requests far shorter than the workers' 25 ms load reports, and requests longer than them.
 * `BENCH_LATENCY_COSTS_MS` (comma-separated) overrides the levels.
 */
const LEVELS = (process.env.BENCH_LATENCY_COSTS_MS ?? '2,20').split(',').map((ms) => ({
  costMs: Number(ms),
  // Long enough for several hundred counted requests at 60 % of saturation.
  durationMs: Number(ms) >= 10 ? 10_000 : 6000,
}));
const SLOW_FACTOR = 3;
/** The offered rate as a share of the saturation measured at the start of the run. */
const LOAD_SHARE = 0.6;
const SATURATION_CONCURRENCY = 8;

/** Configurations in run order; `env` is NODE_CLUSTER_SCHED_POLICY. */
export const LATENCY_RUNS = [
  { impl: 'ours', policy: 'round-robin', env: 'rr' },
  { impl: 'ours', policy: 'least-connections', env: 'least-connections' },
  { impl: 'ours', policy: 'power-of-two', env: 'power-of-two' },
  { impl: 'ours', policy: 'SCHED_NONE', env: 'none' },
  { impl: 'ours', policy: 'balanced', env: 'balanced' },
  { impl: 'node', policy: 'round-robin', env: 'rr' },
  { impl: 'node', policy: 'SCHED_NONE', env: 'none' },
] as const;

export const latencyConfig = (costMs: number, policy: string) => `latency ${costMs} ms ${policy}`;

interface ClientResult {
  due: number;
  completed: number;
  errors: number;
  ratePerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  perWorker: Record<string, number>;
}

async function runClient(port: number, durationMs: number, warmupMs: number, rate: number): Promise<ClientResult> {
  const args = [fixture('latency-client.mjs'), String(port), String(durationMs), String(warmupMs), String(rate)];
  args.push(String(SATURATION_CONCURRENCY));
  const proc = start(process.execPath, args, { cpus: LOAD_CPU, timeout: durationMs + 30_000 });
  try {
    return await proc.json<ClientResult>((v) => typeof v.completed === 'number', durationMs + 25_000);
  } finally {
    await stop(proc, 1000);
  }
}

function serve(impl: string, env: string, costMs: number, timeoutMs: number): Promise<RunningServer> {
  return startServer(
    {
      impl,
      kind: 'latency',
      workers: WORKERS,
      policy: env,
      env: { BENCH_COST_MS: String(costMs), BENCH_SLOW_FACTOR: String(SLOW_FACTOR), BENCH_SLOW_SLOT: '1' },
    },
    timeoutMs,
  );
}

/**
 * Latency per policy below saturation (#16 target 4): 2 workers, one of them 3× slower per request, a
 * new connection per request offered by an open-loop client at a fixed rate, 60 % of the saturation
 * that node's round-robin reaches on the same cluster at the start of the run.
 */
export async function latencyScenario(ctx: Context): Promise<ScenarioOutput> {
  for (const { costMs } of LEVELS)
    if (!(costMs > 0))
      throw new Error(
        `BENCH_LATENCY_COSTS_MS must list positive numbers of ms, not "${process.env.BENCH_LATENCY_COSTS_MS}"`,
      );
  const levels = ctx.smoke ? LEVELS.slice(0, 1) : LEVELS;
  const runs = ctx.smoke ? LATENCY_RUNS.slice(0, 1).concat(LATENCY_RUNS.slice(3, 5)) : LATENCY_RUNS;
  const warmupMs = ctx.smoke ? 100 : 1000;
  const cases = createCases();
  const setups: string[] = [];
  const comparisons: Comparison[] = [];
  for (const level of levels) {
    const { costMs } = level;
    const durationMs = ctx.smoke ? 600 : level.durationMs;

    // Saturation: closed loop against node's round-robin (every policy is then offered the same rate), the
    // best of two short runs (other load on the machine can only lower it).
    const saturations: number[] = [];
    for (let rep = 0; rep < (ctx.smoke ? 1 : 2); rep++) {
      const sample = await measured(ctx, `latency ${costMs} ms saturation node round-robin`, async () => {
        const server = await serve('node', 'rr', costMs, durationMs + 60_000);
        try {
          const client = await runClient(server.port, ctx.smoke ? 500 : 3000, ctx.smoke ? 100 : 500, 0);
          if (client.errors > 0) throw new Error(`saturation run: ${client.errors} failed requests`);
          return { requestsPerSec: client.ratePerSec };
        } finally {
          await stop(server.proc);
        }
      });
      saturations.push(sample.requestsPerSec as number);
    }
    const saturation = Math.max(...saturations);
    const rate = Math.max(10, Math.round(saturation * LOAD_SHARE));
    ctx.log(
      `  saturation ${saturation.toFixed(0)} req/s (node round-robin, closed loop ×${SATURATION_CONCURRENCY}); offering ${rate} req/s`,
    );

    for (let rep = 0; rep < ctx.reps; rep++) {
      // Alternate the order run by run, so that no configuration always follows the same one.
      const order = rep % 2 === 0 ? runs : [...runs].reverse();
      for (const run of order) {
        const config = latencyConfig(costMs, run.policy);
        const sample = await measured(ctx, `${config} ${run.impl}`, async () => {
          const server = await serve(run.impl, run.env, costMs, durationMs + 60_000);
          try {
            const client = await runClient(server.port, durationMs, warmupMs, rate);
            // Nothing lost: every request due after the warm-up was answered.
            if (client.errors > 0 || client.completed !== client.due)
              throw new Error(
                `${config} ${run.impl}: ${client.completed} of ${client.due} answered, ${client.errors} failed`,
              );
            const ids = Object.keys(client.perWorker);
            if (ids.some((id) => !(Number(id) >= 1 && Number(id) <= WORKERS)))
              throw new Error(`${config} ${run.impl}: answered by unknown workers ${ids.join(', ')}`);
            const slow = client.perWorker['1'] ?? 0;
            return {
              offeredPerSec: rate,
              saturationPerSec: saturation,
              requests: client.completed,
              p50Ms: client.p50Ms,
              p99Ms: client.p99Ms,
              maxMs: client.maxMs,
              slowWorkerShare: slow / client.completed,
            };
          } finally {
            await stop(server.proc);
          }
        });
        cases.add(config, run.impl, sample);
      }
    }

    setups.push(
      `${costMs} ms (${costMs * SLOW_FACTOR} ms in worker 1): saturation ${saturation.toFixed(0)} req/s → ${rate} req/s offered, ${durationMs / 1000} s per run`,
    );
    const rr = { config: latencyConfig(costMs, 'round-robin'), impl: 'ours' };
    for (const run of runs) {
      if (run.impl === 'ours' && run.policy === 'round-robin') continue;
      comparisons.push({
        label: `latency ${costMs} ms: ${run.impl === 'node' ? 'node ' : ''}${run.policy} ÷ round-robin, p99`,
        metric: 'p99Ms',
        unit: 'ms',
        ours: { config: latencyConfig(costMs, run.policy), impl: run.impl },
        base: rr,
        better: 'lower',
      });
    }
  }
  const setup =
    `${WORKERS} workers, each request spins a fixed CPU cost, ${SLOW_FACTOR}× that in worker 1; ` +
    `open-loop client (fixtures/latency-client.mjs, pinned to CPU ${LOAD_CPU}), a new connection per request (Connection: close), ` +
    `fixed arrival schedule at ${LOAD_SHARE * 100} % of the saturation node's round-robin reached in a closed loop ×${SATURATION_CONCURRENCY} at the start of the run (best of two) ` +
    `(${setups.join('; ')}), latency counted from each request's due time; ` +
    `first ${warmupMs / 1000} s of each run not counted; ${ctx.reps} interleaved runs each, order reversed every other run; ` +
    'SCHED_NONE is the kernel accepting on the shared socket, balanced the kernel accepting with the primary pausing the workers ahead of their share (#16 target 3)';

  return { setup, cases: cases.list(), comparisons };
}
