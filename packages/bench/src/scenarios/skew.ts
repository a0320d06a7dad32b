import { type Context, measured } from '../measure.ts';
import { stop } from '../proc.ts';
import type { Comparison } from '../results.ts';
import { fixture, runWrk, serverCpu, startServer, WRK, WRK_MISSING } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

const CONNECTIONS = 16;
const RUNS = [
  { impl: 'ours', policy: 'round-robin', env: 'rr' },
  { impl: 'ours', policy: 'least-connections', env: 'least-connections' },
  { impl: 'ours', policy: 'power-of-two', env: 'power-of-two' },
  { impl: 'node', policy: 'round-robin', env: 'rr' },
];

/**
 * Skewed load: one request in ten spins the CPU for 50 ms, the others for 1 ms; 2 workers; a new
 * connection per request so that the policy decides every request.
 */
export async function skewScenario(ctx: Context): Promise<ScenarioOutput> {
  const durationS = ctx.smoke ? 1 : 5;
  const setup = `wrk -t1 -c${CONNECTIONS} -d${durationS}s, Connection: close, every 10th request /slow (50 ms of CPU) and the rest 1 ms (fixtures/skew.lua); 2 workers; policy by NODE_CLUSTER_SCHED_POLICY; ${ctx.reps} interleaved runs each`;
  if (WRK === undefined) return { setup, cases: [], comparisons: [], skipped: WRK_MISSING };
  const cases = createCases();
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const run of RUNS) {
      const config = `skew ${run.policy}`;
      const sample = await measured(ctx, `${config} ${run.impl}`, async () => {
        const server = await startServer(
          { impl: run.impl, kind: 'skew', workers: 2, policy: run.env },
          (durationS + 60) * 1000,
        );
        try {
          const before = serverCpu(server);
          const wrk = await runWrk({
            port: server.port,
            durationS,
            connections: CONNECTIONS,
            close: true,
            script: fixture('skew.lua'),
          });
          const after = serverCpu(server);
          return {
            requestsPerSec: wrk.requestsPerSec,
            p50Ms: wrk.p50Ms,
            p99Ms: wrk.p99Ms,
            errors: wrk.errors,
            primaryCpuPerReqUs: (after.primary - before.primary) / wrk.requests,
          };
        } finally {
          await stop(server.proc);
        }
      });
      cases.add(config, run.impl, sample);
    }
  }
  const comparisons: Comparison[] = [];
  const rr = { config: 'skew round-robin', impl: 'ours' };
  for (const policy of ['least-connections', 'power-of-two']) {
    const ours = { config: `skew ${policy}`, impl: 'ours' };
    comparisons.push(
      { label: `skew: ${policy} ÷ round-robin, p99`, metric: 'p99Ms', unit: 'ms', ours, base: rr, better: 'lower' },
      {
        label: `skew: ${policy} ÷ round-robin, throughput`,
        metric: 'requestsPerSec',
        unit: 'req/s',
        ours,
        base: rr,
        better: 'higher',
      },
    );
  }
  const node = { config: 'skew round-robin', impl: 'node' };
  comparisons.push(
    {
      label: 'skew: round-robin, ours ÷ node, p99',
      metric: 'p99Ms',
      unit: 'ms',
      ours: rr,
      base: node,
      better: 'lower',
    },
    {
      label: 'skew: round-robin, ours ÷ node, throughput',
      metric: 'requestsPerSec',
      unit: 'req/s',
      ours: rr,
      base: node,
      better: 'higher',
    },
  );
  return { setup, cases: cases.list(), comparisons };
}
