import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
/** The `cluster` binary this example depends on, as `npm install` links it. */
const BIN = join(createRequire(join(here, 'package.json')).resolve('@cluster/cli/package.json'), '../dist/bin.js');
const read = (file: string) => readFileSync(join(here, file), 'utf8');
const config = JSON.parse(read('cluster.config.json')) as Record<string, string>;
const seconds = (value: string) => Number(/^(\d+)s$/.exec(value)?.[1]);
const runtimes: string[] = [];

afterEach(() => {
  killAll();
  for (const dir of runtimes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('the cluster-run example', () => {
  it('runs with its config, serves from its workers and answers the probes', async () => {
    const runtime = mkdtempSync(join(tmpdir(), 'cluster-example-'));
    runtimes.push(runtime);
    // Its own config, with the ports a shared machine can give: any free one.
    const run = runScript(BIN, {
      args: ['run', 'server.mjs', '--status', '0', '--shutdown-delay', '0', '-w', '2'],
      cwd: here,
      env: { PORT: '0', XDG_RUNTIME_DIR: runtime },
      timeout: 30_000,
    });
    const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(run.stderr.join('\n'))), 20_000);
      run.child.stderr?.on('data', () => {
        const line = run.stderr.find((text) => text.includes('"event":"ready"'));
        if (line === undefined) return;
        clearTimeout(timer);
        resolve(JSON.parse(line));
      });
    });
    const port = Number(/:(\d+)\//.exec((ready.addresses as string[])[0] ?? '')?.[1]);
    expect((await get(port)).body).toMatch(/^hello from worker [01] \(pid \d+\)\n$/);
    const status = Number(/status on http:\/\/[^:]+:(\d+)/.exec(String(ready.text))?.[1]);
    expect((await get(status, '/readyz')).status).toBe(200);
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
  });

  it("has a Deployment whose probes hit the status server, and whose grace period outlasts a stop's worst case", () => {
    const manifest = read('deployment.yaml');
    const statusPort = Number(config.status?.split(':').pop());
    expect(manifest).toMatch(new RegExp(`name: status\\n\\s+containerPort: ${statusPort}\\n`));
    expect(manifest).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \/readyz\n\s+port: status/);
    expect(manifest).toMatch(/livenessProbe:\n\s+httpGet:\n\s+path: \/healthz\n\s+port: status/);
    const grace = Number(/terminationGracePeriodSeconds: (\d+)/.exec(manifest)?.[1]);
    const worst = seconds(config.shutdownDelay ?? '0s') + seconds(config.drainTimeout ?? '20s') + seconds(config.killTimeout ?? '5s');
    expect(grace).toBeGreaterThan(worst);
    expect(config.workers).toBe('max');
    expect(manifest).toMatch(/limits:\n\s+cpu: "2"/);
  });

  it('has a Dockerfile that runs `cluster run` as the main process, with the config beside the app', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^CMD \["node_modules\/\.bin\/cluster", "run", "server\.mjs"\]$/m);
    expect(dockerfile).toMatch(/COPY examples\/cluster-run\/server\.mjs examples\/cluster-run\/cluster\.config\.json \.\//);
    expect(dockerfile).toMatch(/EXPOSE 8000 9090/);
  });
});
