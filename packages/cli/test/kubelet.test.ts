import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, cli, cliResult, get, tempDir } from './helpers.ts';

afterEach(() => {
  killAll();
  cleanUp();
});

/** What Kubernetes gives a pod between SIGTERM and SIGKILL, as the test plays it. */
const GRACE_PERIOD_MS = 15_000;

describe('under Kubernetes', () => {
  it('plays the kubelet: ready once a worker is, 503 at SIGTERM, requests in flight finish, exit 0 in the grace period', async () => {
    const run = cli(['run', 'app.cjs', '-w', '2', '--status', '0', '--drain-timeout', '8s'], { runtime: tempDir() });
    const statusLine = await run.waitForError((line) => line.includes('status on http://127.0.0.1:'));
    const status = Number(/status on http:\/\/127\.0\.0\.1:(\d+)\//.exec(statusLine)?.[1]);
    // The readiness probe, polled until it passes (bounded).
    let ready = await get(status, '/readyz');
    for (let i = 0; i < 100 && ready.status !== 200; i++) ready = await get(status, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', ready: 2 });
    expect((await get(status, '/healthz')).status).toBe(200);
    const snapshot = JSON.parse((await get(status, '/status.json')).body);
    const port = Number(/:(\d+)\//.exec(snapshot.addresses[0])?.[1]);

    // Traffic, and one request still in flight when the pod is told to stop.
    for (let i = 0; i < 5; i++) expect((await get(port)).status).toBe(200);
    const inFlight = get(port, '/slow?ms=1500');
    await run.waitForLine((line) => line.includes('slow request in'));
    const stopped = Date.now();
    run.child.kill('SIGTERM');
    await run.waitForError((line) => line.includes('SIGTERM: shutting down'));
    const notReady = await get(status, '/readyz');
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toMatchObject({ status: 'not ready', state: 'stopping' });
    expect((await get(status, '/healthz')).status).toBe(200);

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    const { code } = await run.exited(GRACE_PERIOD_MS);
    expect(code).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(GRACE_PERIOD_MS);
  });

  it('with --shutdown-delay, keeps serving while /readyz is already 503', async () => {
    const run = cli(['run', 'app.cjs', '-w', '1', '--status', '0', '--shutdown-delay', '1s'], { runtime: tempDir() });
    const port = await run.ready();
    const status = Number(/status on http:\/\/127\.0\.0\.1:(\d+)\//.exec(run.stderr.join('\n'))?.[1]);
    run.child.kill('SIGTERM');
    await run.waitForError((line) => line.includes('SIGTERM: not ready any more; draining in 1.0 s'));
    expect((await get(status, '/readyz')).status).toBe(503);
    expect((await get(port)).status).toBe(200);
    expect((await run.exited()).code).toBe(0);
  });
});

describe('--workers max', () => {
  it('counts the CPU quota of its cgroup, not the host CPUs (a faked cgroup v2 cpu.max)', async () => {
    const root = tempDir();
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'cgroup.controllers'), 'cpu\n');
    writeFileSync(join(root, 'cpu.max'), '100000 100000\n');
    const runtime = tempDir();
    const run = cli(['run', 'app.cjs', '--workers', 'max'], { runtime, env: { CLUSTER_CGROUP_ROOT: root } });
    await run.ready();
    expect(run.stderr.join('\n')).toMatch(/starting 1 worker of app\.cjs/);
    expect(JSON.parse((await cliResult(['status', '--json'], { runtime })).stdout).workers).toHaveLength(1);
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
  });
});
