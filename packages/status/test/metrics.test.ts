import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { holdConnections, killAll, parsePrometheusText, sampleValue } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { request, startPrimary, until } from './helpers.ts';

afterEach(() => killAll());

const PROMTOOL = '/usr/bin/promtool';

/** promtool's verdict on exposition text: CI installs Debian's prometheus package, so its absence fails. */
function promtool(text: string): { status: number | null; output: string } {
  if (!existsSync(PROMTOOL))
    throw new Error(`${PROMTOOL} is missing: apt-get install prometheus (see docs/testing.md)`);
  const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const scrape = async (url: string) => {
  const answer = await request(`${url}/metrics`);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return { text: answer.body, families: parsePrometheusText(answer.body) };
};
const total = (families: ReturnType<typeof parsePrometheusText>, name: string) =>
  (families.get(name)?.samples ?? []).reduce((sum, sample) => sum + sample.value, 0);

describe('/metrics', () => {
  it('is valid Prometheus text (promtool agrees) with every worker labelled by slot and pid, and counts the load the test sent', async () => {
    const primary = await startPrimary({ env: { APP_PROM: '1' } });
    const REQUESTS = 12;
    const HELD = 3;
    for (let i = 0; i < REQUESTS; i++) await request(`http://127.0.0.1:${primary.appPort}/`);
    const sockets = await holdConnections(primary.appPort, HELD);
    try {
      const { text, families } = await until(
        () => scrape(primary.url),
        ({ families }) =>
          sampleValue(families, 'cluster_open_connections') === HELD &&
          total(families, 'cluster_worker_up') === 2 &&
          (families.get('cluster_worker_cpu_usage_ratio')?.samples.length ?? 0) === 2,
      );
      expect(promtool(text)).toEqual({ status: 0, output: '' });
      for (const family of families.values()) {
        expect(family.help, family.name).not.toBe('');
        expect(family.type, family.name).not.toBe('untyped');
      }
      // Per worker: one series for each of the two workers, with the pids the supervisor gave.
      const perWorker = families.get('cluster_worker_resident_memory_bytes')?.samples ?? [];
      expect(perWorker.map((sample) => Number(sample.labels.pid)).sort()).toEqual([...primary.pids].sort());
      expect(perWorker.map((sample) => sample.labels.slot).sort()).toEqual(['0', '1']);
      for (const sample of perWorker) expect(sample.value).toBeGreaterThan(10 * 1024 * 1024);
      expect(total(families, 'cluster_worker_open_connections')).toBe(HELD);
      // Every connection the test opened was handed by the primary (round-robin), and prom-client counted
      // every request, summed over the workers.
      expect(sampleValue(families, 'cluster_connections_handed_total')).toBe(REQUESTS + HELD);
      expect(sampleValue(families, 'app_requests_total', { path: '/' })).toBe(REQUESTS + HELD);
      expect(families.get('app_requests_total')?.type).toBe('counter');
      // A gauge whose aggregator is max is not summed.
      expect(sampleValue(families, 'app_temperature_celsius')).toBe(20);
      expect(total(families, 'cluster_worker_metrics_up')).toBe(2);
      expect(sampleValue(families, 'cluster_slots', { state: 'ready' })).toBe(2);
      expect(sampleValue(families, 'cluster_restarts_total')).toBe(0);
      // prom-client's default metrics are not registered by the app: none appear.
      expect(families.has('process_cpu_user_seconds_total')).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 60_000);

  it("serves the other workers' metrics when one worker's registry never answers, and reports it missing", async () => {
    const primary = await startPrimary({ env: { APP_PROM: '1', APP_PROM_HANG: '1' } });
    for (let i = 0; i < 4; i++) await request(`http://127.0.0.1:${primary.appPort}/`);
    // A scrape is bounded by the metrics timeout (500 ms here), not by the silent worker.
    const timed = async () => {
      const started = Date.now();
      return { ...(await scrape(primary.url)), took: Date.now() - started };
    };
    // Until a sample has seen both workers (the first comes one interval after start).
    const { text, families, took } = await until(timed, ({ families }) => total(families, 'cluster_worker_up') === 2);
    expect(took).toBeLessThan(5_000);
    expect(promtool(text).status).toBe(0);
    const up = families.get('cluster_worker_metrics_up')?.samples ?? [];
    expect(up.map((sample) => [sample.labels.slot, sample.value]).sort()).toEqual([
      ['0', 1],
      ['1', 0],
    ]);
    // The answering worker's counter is there: the requests it served (round-robin gave it half).
    expect(sampleValue(families, 'app_requests_total', { path: '/' })).toBe(2);
    expect(families.has('app_stuck')).toBe(false);
    // Its own samples still come: only its prom-client registry is stuck.
    expect(total(families, 'cluster_worker_up')).toBe(2);
  }, 60_000);
  it('finds the prom-client of a worker that is an ES module and imports it', async () => {
    const primary = await startPrimary({
      env: { APP: fileURLToPath(new URL('./fixtures/app-esm.mjs', import.meta.url)) },
    });
    const REQUESTS = 4;
    for (let i = 0; i < REQUESTS; i++) await request(`http://127.0.0.1:${primary.appPort}/`);
    const { text, families } = await until(
      () => scrape(primary.url),
      ({ families }) => total(families, 'app_requests_total') === REQUESTS,
    );
    expect(sampleValue(families, 'app_requests_total')).toBe(REQUESTS);
    expect(total(families, 'cluster_worker_metrics_up')).toBe(2);
    expect(promtool(text).status).toBe(0);
  }, 60_000);

  it('serves the registry of a prom-client a worker loads after start, once a sample has seen it', async () => {
    // Until a worker's sample says it has prom-client, scrapes do not ask it (nothing to ask for).
    const primary = await startPrimary({ env: { APP_PROM: 'lazy' } });
    await until(
      () => scrape(primary.url),
      ({ families }) => total(families, 'cluster_worker_up') === 2,
    );
    const before = await scrape(primary.url);
    expect(before.families.has('app_requests_total')).toBe(false);
    expect(total(before.families, 'cluster_worker_metrics_up')).toBe(2);
    const REQUESTS = 6;
    for (let i = 0; i < REQUESTS; i++) await request(`http://127.0.0.1:${primary.appPort}/`);
    // Whichever worker served a request had loaded prom-client for it and counted it.
    const { families } = await until(
      () => scrape(primary.url),
      ({ families }) => total(families, 'app_requests_total') === REQUESTS,
    );
    expect(sampleValue(families, 'app_requests_total', { path: '/' })).toBe(REQUESTS);
    expect(total(families, 'cluster_worker_metrics_up')).toBe(2);
  }, 60_000);
});

describe('/healthz, /readyz and the rest', () => {
  it('answers health and readiness, turns /readyz 503 from the moment a shutdown starts, and only reads', async () => {
    // Idle keep-alive connections are kept through the drain, so that one held connection keeps it going.
    const primary = await startPrimary({ supervise: { drain: { timeout: 5_000, idleTimeout: 10_000 } } });
    expect((await request(`${primary.url}/healthz`)).status).toBe(200);
    const ready = await request(`${primary.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', state: 'ready', ready: 2 });
    // The first sample comes one interval after start; every slot may be ready before it.
    const status = await until(
      async () => JSON.parse((await request(`${primary.url}/status.json`)).body),
      (body) => body.history.length > 0,
    );
    expect(status.slots.map((slot: { pid: number }) => slot.pid).sort()).toEqual([...primary.pids].sort());
    expect(status.history.length).toBeGreaterThan(0);

    const post = await request(`${primary.url}/reload`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(JSON.parse(post.body).code).toBe('ERR_CLUSTER_STATUS_READ_ONLY');
    const put = await request(`${primary.url}/metrics`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD');
    expect((await request(`${primary.url}/nothing`)).status).toBe(404);

    // A connection held open (its request answered, so a worker has it) keeps the drain going, so the
    // server outlives the start of the shutdown.
    const held = await holdConnections(primary.appPort, 1);
    primary.script.child.kill('SIGTERM');
    await primary.waitFor('shutdown');
    const during = await request(`${primary.url}/readyz`);
    expect(during.status).toBe(503);
    expect(JSON.parse(during.body)).toMatchObject({ status: 'not ready', state: 'stopping' });
    expect((await request(`${primary.url}/healthz`)).status).toBe(200);
    for (const socket of held) socket.destroy();
  }, 60_000);

  it('takes POST /reload and /scale only with the configured token', async () => {
    const token = 'test-token-0123456789';
    const primary = await startPrimary({ status: { token } });
    expect((await request(`${primary.url}/reload`, { method: 'POST' })).status).toBe(401);
    const wrong = await request(`${primary.url}/reload`, { method: 'POST', headers: { authorization: 'Bearer nope' } });
    expect(JSON.parse(wrong.body).code).toBe('ERR_CLUSTER_STATUS_UNAUTHORIZED');
    expect((await request(`${primary.url}/reload`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      405,
    );
    const reload = await request(
      `${primary.url}/reload`,
      { method: 'POST', headers: { authorization: `Bearer ${token}` } },
      30_000,
    );
    expect(reload.status).toBe(200);
    expect(JSON.parse(reload.body)).toEqual({ ok: true, result: { replaced: 2 } });
    const bad = await request(`${primary.url}/scale`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{"workers":-1}',
    });
    expect(bad.status).toBe(400);
    const scale = await request(
      `${primary.url}/scale`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: '{"workers":3}',
      },
      30_000,
    );
    expect(JSON.parse(scale.body)).toEqual({ ok: true, result: { workers: 3 } });
    const metrics = await until(
      async () => parsePrometheusText((await request(`${primary.url}/metrics`)).body),
      (families) =>
        sampleValue(families, 'cluster_slots', { state: 'ready' }) === 3 &&
        sampleValue(families, 'cluster_reloads_total') === 1,
    );
    expect(sampleValue(metrics, 'cluster_reloads_total')).toBe(1);
    expect(sampleValue(metrics, 'cluster_slots', { state: 'ready' })).toBe(3);
  }, 60_000);
});
