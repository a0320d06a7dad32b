import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { holdConnections, killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, cli, cliResult, get, pidOf, tempDir } from './helpers.ts';

afterEach(() => {
  killAll();
  cleanUp();
});

/** The pids that answer on `port`, asking until `count` were seen (bounded). */
async function servingPids(port: number, count: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < count * 10 && pids.size < count; i++) pids.add(pidOf((await get(port)).body));
  return pids;
}

describe('controlling a running instance from another terminal', () => {
  it('lists it, shows its status, reloads it, scales it and stops it', async () => {
    const runtime = tempDir();
    const run = cli(['run', 'app.cjs', '-w', '2', '--name', 'api'], { runtime });
    const port = await run.ready();
    const before = await servingPids(port, 2);

    const ls = await cliResult(['ls'], { runtime });
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/^NAME +PID +READY +STATE +UPTIME +ADDRESS +APP$/m);
    expect(ls.stdout).toMatch(
      new RegExp(`^api +${run.child.pid} +2/2 +running .*http://127\\.0\\.0\\.1:${port}/ .*app\\.cjs$`, 'm'),
    );

    const status = await cliResult(['status'], { runtime });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^SLOT +PID +STATE +UPTIME +RESTARTS +CPU +MEMORY +CONNECTIONS$/m);
    for (const pid of before)
      expect(status.stdout).toMatch(new RegExp(`^[01] +${pid} +ready +\\S+( \\S+)? +0 +\\S+ +[\\d.]+ MiB +\\d+$`, 'm'));
    const json = JSON.parse((await cliResult(['status', 'api', '--json'], { runtime })).stdout);
    expect(json).toMatchObject({ name: 'api', pid: run.child.pid, state: 'running', ready: 2 });
    expect(json.workers.map((worker: { pid: number }) => worker.pid).sort()).toEqual([...before].sort());
    expect(json.workers[0]).toMatchObject({ slot: 0, state: 'ready', restarts: 0, memory: expect.any(Number) });

    // Connections are what the primary counts on the shared servers: the ones this test holds open.
    const held = await holdConnections(port, 3);
    try {
      const connectionsOf = async () => {
        const { workers } = JSON.parse((await cliResult(['status', 'api', '--json'], { runtime })).stdout);
        return (workers as Array<{ connections: number }>).reduce((sum, worker) => sum + worker.connections, 0);
      };
      let counted = await connectionsOf();
      for (let i = 0; i < 50 && counted !== 3; i++) counted = await connectionsOf();
      expect(counted).toBe(3);
    } finally {
      for (const socket of held) socket.destroy();
    }

    const reload = await cliResult(['reload', 'api'], { runtime });
    expect(reload.code).toBe(0);
    expect(reload.stdout).toMatch(/^api: 1\/2 slot 0 is now worker \d+$/m);
    expect(reload.stdout).toMatch(/^api: 2\/2 slot 1 is now worker \d+$/m);
    expect(reload.stdout).toMatch(/^api: reloaded 2 workers$/m);
    const after = await servingPids(port, 2);
    expect([...after].filter((pid) => before.has(pid))).toEqual([]);

    const up = await cliResult(['scale', '+1'], { runtime });
    expect(up).toMatchObject({ code: 0, stdout: 'api: 2 → 3 workers' });
    const down = await cliResult(['scale', 'api', '1'], { runtime });
    expect(down).toMatchObject({ code: 0, stdout: 'api: 3 → 1 workers' });
    expect(JSON.parse((await cliResult(['status', '--json'], { runtime })).stdout).workers).toHaveLength(1);

    const stop = await cliResult(['stop'], { runtime });
    expect(stop).toMatchObject({ code: 0, stdout: 'api: stopped' });
    expect((await run.exited()).code).toBe(0);
    expect(existsSync(join(runtime, 'cluster', 'api.sock'))).toBe(false);
    expect(await cliResult(['status'], { runtime })).toMatchObject({ code: 3 });
  });

  it('reloads on SIGHUP, slot by slot', async () => {
    const run = cli(['run', 'app.cjs', '-w', '2'], { runtime: tempDir() });
    const port = await run.ready();
    const before = await servingPids(port, 2);
    run.child.kill('SIGHUP');
    await run.waitForError((line) => line.includes('reload 1/2: slot 0 is now worker'));
    await run.waitForError((line) => line.includes('reload 2/2: slot 1 is now worker'));
    await run.waitForError((line) => /reloaded 2 workers in/.test(line));
    const after = await servingPids(port, 2);
    expect([...after].filter((pid) => before.has(pid))).toEqual([]);
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
  });

  it('keeps its socket 0600 in a 0700 folder, under the temp dir when there is no XDG_RUNTIME_DIR', async () => {
    const tmp = tempDir();
    const run = cli(['run', 'app.cjs', '-w', '1'], { runtime: '', env: { XDG_RUNTIME_DIR: undefined, TMPDIR: tmp } });
    await run.ready();
    const dir = join(tmp, `cluster-${process.getuid?.()}`);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'app.sock')).mode & 0o777).toBe(0o600);
    const ls = await cliResult(['ls'], { runtime: '', env: { XDG_RUNTIME_DIR: undefined, TMPDIR: tmp } });
    expect(ls.stdout).toMatch(/^app +\d+ +1\/1/m);
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
  });

  it('finds a stale socket of a killed instance, removes it and says so; the name can be used again', async () => {
    const runtime = tempDir();
    const killed = cli(['run', 'app.cjs', '-w', '1'], { runtime });
    await killed.ready();
    killed.kill('SIGKILL');
    await killed.exited();
    const socket = join(runtime, 'cluster', 'app.sock');
    expect(existsSync(socket)).toBe(true);

    const status = await cliResult(['status', 'app'], { runtime });
    expect(status.code).toBe(3);
    expect(status.stderr).toMatch(/removed the stale control socket of "app"/);
    expect(status.stderr).toMatch(/no instance named "app" is running \[ERR_CLUSTER_INSTANCE_NOT_FOUND\]/);
    expect(existsSync(socket)).toBe(false);

    // Killed again, and this time `cluster run` itself meets the stale socket.
    const second = cli(['run', 'app.cjs', '-w', '1'], { runtime });
    await second.ready();
    second.kill('SIGKILL');
    await second.exited();
    const third = cli(['run', 'app.cjs', '-w', '1'], { runtime });
    await third.ready();
    expect(third.stderr.join('\n')).toMatch(/removed the stale control socket of an earlier "app"/);
    third.child.kill('SIGTERM');
    expect((await third.exited()).code).toBe(0);
  });

  it('refuses a second instance of the same name, and commands for an instance that is not there', async () => {
    const runtime = tempDir();
    const run = cli(['run', 'app.cjs', '-w', '1'], { runtime });
    await run.ready();
    const twice = await cliResult(['run', 'app.cjs', '-w', '1'], { runtime });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/an instance named "app" is already running \[ERR_CLUSTER_NAME_IN_USE\]/);
    const missing = await cliResult(['stop', 'nope'], { runtime });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(
      /no instance named "nope" is running \[ERR_CLUSTER_INSTANCE_NOT_FOUND\]\nRunning: app\./,
    );
    const second = cli(['run', 'app.cjs', '-w', '1', '--name', 'other'], { runtime });
    await second.ready();
    const ambiguous = await cliResult(['reload'], { runtime });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/2 instances are running: app, other \[ERR_CLUSTER_INSTANCE_AMBIGUOUS\]/);
    run.child.kill('SIGTERM');
    second.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
    expect((await second.exited()).code).toBe(0);
  });
});
