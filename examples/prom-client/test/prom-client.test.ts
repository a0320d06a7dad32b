import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const WORKERS = 2;
const REQUESTS = 6;

afterEach(() => killAll());

function get(port: number, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error('request timed out')));
  });
}

describe('prom-client AggregatorRegistry through register', () => {
  for (const impl of ['node', 'ours'] as const) {
    it(`serves from the primary the metrics of every worker, aggregated (on ${impl === 'ours' ? 'ours, through register' : 'node:cluster'})`, async () => {
      const script = runScript(`${here}server.cjs`, {
        cwd: here,
        execArgv: impl === 'ours' ? ['--require', '@cluster/core/register', '--require', './test/which-cluster.cjs'] : ['--require', './test/which-cluster.cjs'],
        env: { WORKERS: String(WORKERS) },
        timeout: 30_000,
      });
      const appPort = Number((await script.waitForLine((l) => l.includes('listening on'))).split(' ').pop());
      const metricsPort = Number((await script.waitForLine((l) => l.startsWith('metrics on'))).split(' ').pop());
      const servedBy = new Set<string>();
      for (let i = 0; i < REQUESTS; i++) servedBy.add(await get(appPort));
      // Round-robin: every worker served some of the requests.
      expect(servedBy.size).toBe(WORKERS);

      const metrics = await get(metricsPort, '/metrics');
      const counts = [...metrics.matchAll(/^app_requests_total\{worker="(\d+)"\} (\d+)$/gm)].map((m) => Number(m[2]));
      expect(counts).toHaveLength(WORKERS);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(REQUESTS);
      // Default metrics of each worker, summed by the aggregator (one series, not one per worker).
      expect(metrics).toMatch(/^# TYPE app_requests_total counter$/m);
      expect(script.stdout.filter((line) => line.startsWith('cluster: ')).sort()).toEqual([
        `cluster: ${impl} in primary`,
        ...Array.from({ length: WORKERS }, () => `cluster: ${impl} in worker`),
      ]);
    });
  }
});
