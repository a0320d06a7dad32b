import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Context, measured } from '../measure.ts';
import { cpuOf, rssKiB, stop } from '../proc.ts';
import type { Comparison, Sample } from '../results.ts';
import { runWrk, startFixtureServer, WRK, WRK_MISSING } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

const CONNECTIONS = 32;
const WORKERS = 2;
const SCRAPE_INTERVAL_MS = 1_000;
type Metrics = 'on' | 'off';
const startMetricsServer = (metrics: Metrics, timeout: number, cpus?: string) =>
  startFixtureServer<{ statusUrl: string | null }>(
    'metrics-server.mjs',
    { BENCH_METRICS: metrics, BENCH_WORKERS: String(WORKERS) },
    timeout,
    cpus,
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
 * cluster without them; how much an idle worker's RSS grows over a quiet while with each; and what an
 * idle cluster spends on them.
 *
 * The throughput runs are side by side: the two clusters run at the same time, each pinned with its own
 * wrk to one of the two CPUs, and change CPUs every round. This machine's speed drifts by ±15 % over
 * minutes, more than the effect measured; at the same moment both clusters see the same drift.
 */
export async function metricsScenario(ctx: Context): Promise<ScenarioOutput> {
  const durationS = ctx.smoke ? 1 : 5;
  const idleS = ctx.smoke ? 2 : 20;
  const rounds = ctx.smoke ? 1 : ctx.reps * 2;
  const setup = `${WORKERS} supervised workers; metrics on = a sample of every worker each second and /metrics scraped each second by this harness (from outside the cluster, as Prometheus would). Keep-alive: the on and off clusters at the same time, each pinned with its own wrk -t1 -c${CONNECTIONS} -d${durationS}s to one CPU, swapping CPUs every round, ${rounds} rounds, a fresh cluster each. Idle: one cluster at a time, RSS growth and CPU over ${idleS} s after a 3 s settle, ${ctx.reps} interleaved runs each`;
  const cases = createCases();
  const sideBySide = async (round: number) => {
    const placed: Array<{ metrics: Metrics; cpu: string }> =
      round % 2 === 0
        ? [
            { metrics: 'off', cpu: '0' },
            { metrics: 'on', cpu: '1' },
          ]
        : [
            { metrics: 'on', cpu: '0' },
            { metrics: 'off', cpu: '1' },
          ];
    const samples = new Map<Metrics, Sample>();
    const both = await measured(
      ctx,
      `metrics keep-alive round ${round + 1} (off on CPU ${placed.find((p) => p.metrics === 'off')?.cpu})`,
      async () => {
        const servers = await Promise.all(
          placed.map(({ metrics, cpu }) => startMetricsServer(metrics, (durationS + 60) * 1000, cpu)),
        );
        const scrapers = servers.map((server) =>
          server.statusUrl === null ? undefined : scrapeEverySecond(server.statusUrl),
        );
        try {
          if (servers.filter((server) => server.statusUrl !== null).length !== 1) {
            throw new Error('expected exactly one of the two clusters to serve its status');
          }
          const pids = servers.map((server) => [server.primary, ...server.workers]);
          const before = pids.map(cpuUs);
          const results = await Promise.all(
            servers.map((server, index) =>
              runWrk({
                port: server.port,
                durationS,
                connections: CONNECTIONS,
                close: false,
                cpus: placed[index]?.cpu,
              }),
            ),
          );
          results.forEach((wrk, index) => {
            const { metrics } = placed[index] as { metrics: Metrics };
            const scraper = scrapers[index];
            samples.set(metrics, {
              requestsPerSec: wrk.requestsPerSec,
              p99Ms: wrk.p99Ms,
              errors: wrk.errors,
              serverCpuPerReqUs: (cpuUs(pids[index] as number[]) - (before[index] as number)) / wrk.requests,
              ...(scraper === undefined ? {} : { scrapes: scraper.count() }),
            });
          });
          const on = samples.get('on')?.requestsPerSec ?? Number.NaN;
          const off = samples.get('off')?.requestsPerSec ?? Number.NaN;
          return { onRequestsPerSec: on, offRequestsPerSec: off, onOverOff: on / off };
        } finally {
          for (const scraper of scrapers) scraper?.stop();
          await Promise.all(servers.map((server) => stop(server.proc)));
        }
      },
    );
    for (const [metrics, sample] of samples) {
      cases.add('keep-alive', metrics, { ...sample, otherLoadCores: both.otherLoadCores ?? Number.NaN });
    }
  };
  if (WRK !== undefined) for (let round = 0; round < rounds; round++) await sideBySide(round);
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const metrics of (rep % 2 === 0 ? ['off', 'on'] : ['on', 'off']) as Metrics[]) {
      const idle = await measured(ctx, `metrics ${metrics} idle`, async () => {
        const server = await startMetricsServer(metrics, (idleS + 60) * 1000);
        const scraper = server.statusUrl === null ? undefined : scrapeEverySecond(server.statusUrl);
        try {
          await sleep(3_000);
          const rssBefore = rssOf(server.workers);
          const primaryBefore = cpuUs([server.primary]);
          const workersBefore = cpuUs(server.workers);
          await sleep(idleS * 1000);
          return {
            rssGrowthKiB: rssOf(server.workers) - rssBefore,
            workerRssKiB: rssOf(server.workers),
            primaryCpuMsPerS: (cpuUs([server.primary]) - primaryBefore) / 1000 / idleS,
            workerCpuMsPerS: (cpuUs(server.workers) - workersBefore) / 1000 / idleS / server.workers.length,
          };
        } finally {
          scraper?.stop();
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
  const idle = { ours: { config: 'idle', impl: 'on' }, base: { config: 'idle', impl: 'off' } } as const;
  comparisons.push(
    { label: 'Idle worker RSS with metrics on vs off', metric: 'workerRssKiB', unit: 'KiB', ...idle, better: 'lower' },
    {
      label: 'Idle primary CPU with metrics on vs off',
      metric: 'primaryCpuMsPerS',
      unit: 'ms/s',
      ...idle,
      better: 'lower',
    },
    {
      label: 'Idle worker CPU with metrics on vs off',
      metric: 'workerCpuMsPerS',
      unit: 'ms/s',
      ...idle,
      better: 'lower',
    },
  );
  return {
    setup,
    cases: cases.list(),
    comparisons,
    ...(WRK === undefined ? { skipped: `throughput: ${WRK_MISSING}` } : {}),
  };
}
