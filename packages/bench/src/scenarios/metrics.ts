import { setTimeout as sleep } from 'node:timers/promises';
import { type Context, measured } from '../measure.ts';
import { cpuOf, rssKiB, start, stop } from '../proc.ts';
import type { Comparison } from '../results.ts';
import { runWrk, startFixtureServer, WRK, WRK_MISSING } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

const CONNECTIONS = 32;
const WORKERS = 2;
const startMetricsServer = (metrics: 'on' | 'off', timeout: number) =>
  startFixtureServer('metrics-server.mjs', { BENCH_METRICS: metrics, BENCH_WORKERS: String(WORKERS) }, timeout);

const cpuUs = (pids: number[]) => pids.reduce((sum, pid) => sum + (cpuOf(pid)?.self ?? Number.NaN), 0);
const rssOf = (pids: number[]) => pids.reduce((sum, pid) => sum + rssKiB(pid), 0) / pids.length;

/**
 * #15's cost of metrics: HTTP keep-alive throughput and server CPU per request with metrics (a sample of
 * every worker each second, a status server scraped each second) against the same supervised cluster
 * without them, interleaved; and how much an idle worker's RSS grows over a quiet while with each.
 */
export async function metricsScenario(ctx: Context): Promise<ScenarioOutput> {
  const durationS = ctx.smoke ? 1 : 5;
  const idleS = ctx.smoke ? 2 : 30;
  const setup = `${WORKERS} supervised workers; wrk -t1 -c${CONNECTIONS} -d${durationS}s keep-alive pinned to CPU 1; idle RSS over ${idleS} s after a 3 s settle; metrics on = a sample per second and /metrics scraped per second; ${ctx.reps} interleaved runs each`;
  const cases = createCases();
  for (let rep = 0; rep < ctx.reps; rep++) {
    // Alternate which goes first, so that a drift of the machine favours neither.
    const order: Array<'on' | 'off'> = rep % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
    for (const metrics of order) {
      if (WRK !== undefined) {
        const sample = await measured(ctx, `metrics ${metrics} keep-alive`, async () => {
          const server = await startMetricsServer(metrics, (durationS + 60) * 1000);
          try {
            const pids = [server.primary, ...server.workers];
            const before = cpuUs(pids);
            const wrk = await runWrk({ port: server.port, durationS, connections: CONNECTIONS, close: false });
            const used = cpuUs(pids) - before;
            return {
              requestsPerSec: wrk.requestsPerSec,
              p99Ms: wrk.p99Ms,
              errors: wrk.errors,
              serverCpuPerReqUs: used / wrk.requests,
            };
          } finally {
            await stop(server.proc);
          }
        });
        cases.add('keep-alive', metrics, sample);
      }
      const idle = await measured(ctx, `metrics ${metrics} idle`, async () => {
        const server = await startMetricsServer(metrics, (idleS + 60) * 1000);
        try {
          await sleep(3_000);
          const before = rssOf(server.workers);
          await sleep(idleS * 1000);
          return { rssGrowthKiB: rssOf(server.workers) - before, workerRssKiB: rssOf(server.workers) };
        } finally {
          await stop(server.proc);
        }
      });
      cases.add('idle', metrics, idle);
    }
  }
  const comparisons: Comparison[] = [];
  if (WRK !== undefined) {
    comparisons.push(
      {
        label: 'HTTP keep-alive with metrics on vs off: throughput',
        metric: 'requestsPerSec',
        unit: 'req/s',
        ours: { config: 'keep-alive', impl: 'on' },
        base: { config: 'keep-alive', impl: 'off' },
        better: 'higher',
        target: 0.99,
        source: '#15',
      },
      {
        label: 'HTTP keep-alive with metrics on vs off: server CPU per request',
        metric: 'serverCpuPerReqUs',
        unit: 'µs',
        ours: { config: 'keep-alive', impl: 'on' },
        base: { config: 'keep-alive', impl: 'off' },
        better: 'lower',
      },
    );
  }
  comparisons.push({
    label: 'Idle worker RSS with metrics on vs off',
    metric: 'workerRssKiB',
    unit: 'KiB',
    ours: { config: 'idle', impl: 'on' },
    base: { config: 'idle', impl: 'off' },
    better: 'lower',
  });
  return {
    setup,
    cases: cases.list(),
    comparisons,
    ...(WRK === undefined ? { skipped: `throughput: ${WRK_MISSING}` } : {}),
  };
}
