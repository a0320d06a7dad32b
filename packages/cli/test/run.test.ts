import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, cli, fixture, get, pidOf, tempDir } from './helpers.ts';

afterEach(() => {
  killAll();
  cleanUp();
});

describe('cluster run', () => {
  it('serves an unmodified CommonJS app from every worker behind one port, with its arguments', async () => {
    const runtime = tempDir();
    const run = cli(['run', 'app.cjs', '-w', '2', '--', '--flag', 'value'], { runtime, env: { GREETING: 'hi' } });
    const port = await run.ready();
    expect(run.stderr.join('\n')).toMatch(/starting 2 workers of app\.cjs/);
    const pids = new Set<number>();
    for (let i = 0; i < 10 && pids.size < 2; i++) {
      const { status, body } = await get(port);
      expect(status).toBe(200);
      expect(body).toMatch(/^\d+ [01] hi\n$/);
      pids.add(pidOf(body));
    }
    expect(pids.size).toBe(2);
    // Its stdout and its 'listening' message travel apart: wait for both workers' lines.
    await run.waitForLine(() => run.stdout.filter((line) => line.includes('args=["--flag","value"]')).length === 2);
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
    expect(run.stderr.join('\n')).toMatch(/stopped: 2 workers drained/);
  });

  it('runs ES module and TypeScript entries (tsx, for CommonJS and ES module TypeScript)', async () => {
    const runtime = tempDir();
    const runs = ['app.mjs', 'app.ts', 'app.mts'].map((app) => ({
      app,
      run: cli(['run', app, '-w', '1', '--name', app.replace('.', '-')], { runtime }),
    }));
    for (const { app, run } of runs) {
      const port = await run.ready();
      const { status, body } = await get(port);
      expect(status, app).toBe(200);
      expect(body, app).toMatch(new RegExp(`^${{ 'app.mjs': 'esm', 'app.ts': 'ts', 'app.mts': 'mts' }[app]} \\d+\\n$`));
      await run.waitForLine((line) => / up true$/.test(line));
    }
    for (const { run } of runs) run.child.kill('SIGINT');
    for (const { app, run } of runs) expect((await run.exited()).code, app).toBe(0);
  });

  it('restarts a worker that crashed, and says so', async () => {
    const run = cli(['run', 'app.cjs', '-w', '1', '--restart-delay', '50ms'], { runtime: tempDir() });
    const port = await run.ready();
    const before = pidOf((await get(port)).body);
    await get(port, '/crash');
    await run.waitForError((line) => line.includes(`slot 0: worker ${before} exited with code 3`));
    await run.waitForError((line) => line.includes('slot 0: restarting in 50 ms'));
    await run.waitForLine((line) => line.startsWith('[0 ') && line.includes(' up ') && !line.includes(String(before)));
    const after = pidOf((await get(port)).body);
    expect(after).not.toBe(before);
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
  });

  it('exits 1 when the app cannot start, after the slot gives up', async () => {
    const dir = tempDir();
    const run = cli(['run', `${fixture('app.cjs')}`, '-w', '1', '--max-restarts', '1', '--restart-delay', '10ms'], {
      runtime: dir,
      env: { NODE_OPTIONS: undefined, PORT: 'not-a-port' },
    });
    const { code } = await run.exited();
    expect(code).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/the app did not start/);
  });
});
