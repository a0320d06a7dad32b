import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Context, measured } from '../measure.ts';
import { cpuOf, rssKiB, stop } from '../proc.ts';
import type { Comparison } from '../results.ts';
import { runWrk, startFixtureServer, WRK, WRK_MISSING } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

const CONNECTIONS = 32;
const WORKERS = 2;
const SCRAPE_INTERVAL_MS = 1_000;
const startMetricsServer = (metrics: 'on' | 'off', timeout: number) =>
  startFixtureServer<{ statusUrl: string | null }>(
    'metrics-server.mjs',
    { BENCH_METRICS: metrics, BENCH_WORKERS: String(WORKERS) },
    timeout,
  );

/** GETs `<url>/metrics` every second, each response read to its end, until stopped. */
function scrapeEverySecond(url: string) {
  let count = 0;
  const timer = setInterval(() => {
    http
      .get(`${url}/metrics`, { agent: false }, (response) => {
        response.resume();
        response.on('end', () => count++);
      })
      .on('error', () => {});
  }, SCRAPE_INTERVAL_MS);
  return { count: () => count, stop: () => clearInterval(timer) };
}

const cpuUs = (pids: number[]) => pids.reduce((sum, pid) => sum + (cpuOf(pid)?.self ?? Number.NaN), 0);
const rssOf = (pids: number[]) => pids.reduce((sum, pid) => sum + rssKiB(pid), 0) / pids.length;

/**
 * #15's cost of metrics: HTTP keep-alive throughput and server CPU per request with metrics (a sample of
 * every worker each second, a status server scraped each second from here) against the same supervised
 * cluster without them, interleaved; and how much an idle worker's RSS grows over a quiet while with each.
 */
export async function metricsScenario(ctx: Context): Promise<ScenarioOutput> {
  const durationS = ctx.smoke ? 1 : 5;
  const idleS = ctx.smoke ? 2 : 30;
  const setup = `${WORKERS} supervised workers; wrk -t1 -c${CONNECTIONS} -d${durationS}s keep-alive pinned to CPU 1; metrics on = a sample of every worker per second and /metrics scraped once a second by this harness (from outside the cluster, as Prometheus would); ${ctx.reps} rounds of off/on/on/off (on/off/off/on every other round), a fresh cluster each run; idle RSS over ${idleS} s after a 3 s settle, once per round each`;
  const cases = createCases();
  const keepAlive = async (metrics: 'on' | 'off') => {
    const sample = await measured(ctx, `metrics ${metrics} keep-alive`, async () => {
      const server = await startMetricsServer(metrics, (durationS + 60) * 1000);
      if (metrics === 'on' && server.statusUrl === null) throw new Error('the metrics server started no status server');
      const scraper = server.statusUrl === null ? undefined : scrapeEverySecond(server.statusUrl);
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
          ...(scraper === undefined ? {} : { scrapes: scraper.count() }),
        };
      } finally {
        scraper?.stop();
        await stop(server.proc);
      }
    });
    cases.add('keep-alive', metrics, sample);
  };
  for (let rep = 0; rep < ctx.reps; rep++) {
    // ABBA, and BAAB the next round: a steady drift of the machine favours neither.
    const [first, second]: ['on' | 'off', 'on' | 'off'] = rep % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
    if (WRK !== undefined) for (const metrics of [first, second, second, first]) await keepAlive(metrics);
    for (const metrics of [first, second]) {
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
