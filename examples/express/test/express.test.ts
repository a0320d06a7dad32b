import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const WORKERS = 3;

afterEach(() => killAll());

function request(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent: false,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.end(payload);
  });
}

describe('an express app through register', () => {
  for (const impl of ['node', 'ours'] as const) {
    it(`is served by every worker, each request whole (on ${impl === 'ours' ? 'ours, through register' : 'node:cluster'})`, async () => {
      const script = runScript(`${here}server.mjs`, {
        cwd: here,
        execArgv: impl === 'ours' ? ['--import', '@cluster/core/register', '--import', './test/which-cluster.mjs'] : ['--import', './test/which-cluster.mjs'],
        env: { WORKERS: String(WORKERS) },
        timeout: 30_000,
      });
      await script.waitForLine(() => script.stdout.filter((l) => l.includes('listening on')).length === WORKERS);
      const port = Number(script.stdout.find((l) => l.includes('listening on'))?.split(' ').pop());
      const workers = new Set<number>();
      for (let i = 0; i < WORKERS * 2; i++) {
        const { status, json } = await request(port, 'GET', '/');
        expect(status).toBe(200);
        workers.add(json.worker);
      }
      expect([...workers].sort()).toEqual([1, 2, 3]);
      const echoed = await request(port, 'POST', '/echo', { hello: ['world', 1] });
      expect(echoed.json.body).toEqual({ hello: ['world', 1] });
      expect(script.stdout.filter((line) => line.startsWith('cluster: ')).sort()).toEqual([
        `cluster: ${impl} in primary`,
        ...Array.from({ length: WORKERS }, () => `cluster: ${impl} in worker`),
      ]);
    });
  }
});
