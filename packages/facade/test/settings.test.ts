import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { both, bySide, fixture } from './helpers.ts';

afterEach(() => killAll());

describe('cluster.settings', () => {
  it("is empty, then Node's defaults merged cumulatively, with 'setup' on every setupPrimary() and fork()", async () => {
    const { node, ours } = await both('settings.mjs');
    expect(ours).toEqual(node);
    expect(ours[0]).toMatchObject({ event: 'before', keys: [] });
    expect(ours.find((entry) => entry.event === 'after first setupPrimary')).toMatchObject({
      keys: ['args', 'exec', 'execArgv', 'silent'],
      settings: { args: ['--use', 'https'], exec: 'reporter', execArgv: [], silent: false },
    });
    // Two setupPrimary() calls, then fork()'s own: three 'setup' before the first worker reports.
    const events = ours.map((entry) => entry.event);
    expect(events.slice(0, events.indexOf('report')).filter((event) => event === 'setup')).toHaveLength(3);
    const reports = ours.filter((entry) => entry.event === 'report');
    expect(reports).toMatchObject([
      { id: 1, args: ['--use', 'https'], execArgv: ['--no-warnings'], cwd: 'tmpdir', extra: 'from fork(env)' },
      { id: 2, args: ['--use', 'http'], execArgv: ['--no-warnings'], extra: null },
    ]);
    expect(reports.every((report) => report.workerIdVisible === false)).toBe(true);
  });

  it("leaves the worker's process.execArgv as the user set it, --require in both forms included", async () => {
    const { node, ours } = await both('exec-argv.mjs');
    expect(bySide(ours)).toEqual(bySide(node));
    const execArgv = ['--require', 'PRELOAD', '--require=PRELOAD', '--no-warnings'];
    expect(bySide(ours).worker).toEqual([{ event: 'worker', side: 'worker', execArgv, preloads: 1 }]);
    expect(bySide(ours).grandchild).toEqual([{ event: 'grandchild', side: 'grandchild', execArgv, isPrimary: true }]);
  });

  it("is filled with Node's defaults by a first fork() alone, which also emits 'setup'", async () => {
    const { node, ours } = await both('settings-fork.mjs', { args: ['--flag', 'value'] });
    expect(bySide(ours)).toEqual(bySide(node));
    expect(ours.find((entry) => entry.event === 'after fork')).toMatchObject({
      args: ['--flag', 'value'],
      execArgv: [],
      silent: false,
      execIsMain: true,
    });
    expect(ours.filter((entry) => entry.event === 'setup')).toHaveLength(1);
  });

  it("gives bad values Node's errors at Node's point: a throw from fork(), or the worker's events", async () => {
    const { node, ours } = await both('bad-settings.mjs');
    expect(ours).toEqual(node);
    const outcome = (name: string) =>
      ours.filter((entry) => entry.case === name).map((entry) => entry.code ?? entry.event);
    expect(outcome('stdio without ipc')).toEqual(['ERR_CHILD_PROCESS_IPC_REQUIRED']);
    expect(outcome('serialization unknown')).toEqual(['ERR_INVALID_ARG_VALUE']);
    expect(outcome('exec not a string')).toEqual(['ERR_INVALID_ARG_TYPE']);
    expect(outcome('inspectPort null')).toEqual(['ERR_SOCKET_BAD_PORT']);
    expect(outcome('cwd missing')).toEqual(['ENOENT']);
    // A missing exec is a worker that exits with 1 (after 'online', since the bootstrap runs first).
    expect(outcome('exec missing')).toEqual(['online', 1]);
    expect(ours.at(-1)).toMatchObject({ event: 'primary alive' });
  });

  it('carries serialization, silent and stdio to the worker as Node does', async () => {
    const { node, ours } = await both('stdio.mjs');
    const [n, o] = [bySide(node), bySide(ours)];
    expect(o.primary).toEqual(n.primary);
    expect(o.worker).toEqual(n.worker);
    expect(o.primary[0]).toMatchObject({ map: { type: 'Map', entries: [['b', [2]]] }, buffer: { type: 'Buffer' } });
    expect(o.worker[0]).toMatchObject({ map: { type: 'Map', entries: [['a', 1]] }, buffer: { type: 'Buffer' } });
    expect(o.primary.at(-1)).toMatchObject({ event: 'fork threw', code: 'ERR_CHILD_PROCESS_IPC_REQUIRED' });
  });

  it("keeps a silent worker's output out of the primary's stdout, and passes an inherited one through", async () => {
    const script = runScript(fixture('stdio.mjs'), { env: { CLUSTER_OURS: '@cluster/facade' } });
    expect(await script.exited(20_000)).toEqual({ code: 0, signal: null });
    expect(script.stdout).toContain('printed by the stdio worker');
    expect(script.stdout).not.toContain('printed by the silent worker');
    expect(script.stdout.some((line) => line.includes('"output":"printed by the silent worker\\n"'))).toBe(true);
  });

  it('starts workers with the uid and gid settings', async () => {
    // As root, a real unprivileged user; otherwise our own ids, which still go through fork().
    const [uid, gid] = process.getuid?.() === 0 ? [65534, 65534] : [process.getuid?.(), process.getgid?.()];
    const { node, ours } = await both('uid-gid.mjs', { args: [String(uid), String(gid)] });
    expect(ours).toEqual(node);
    expect(ours[0]).toMatchObject({ event: 'report', uid, gid });
  });
});

describe('inspector ports', () => {
  for (const mode of ['flag', 'number', 'function']) {
    it(`gives workers Node's ports (inspectPort ${mode === 'flag' ? 'unset' : `as a ${mode}`})`, async () => {
      const { node, ours } = await both('inspect-port.mjs', { args: [mode] });
      expect(ours).toEqual(node);
    });
  }

  it("counts up from the primary's port when the primary runs with --inspect=0, and no two workers clash", async () => {
    const { node, ours } = await both('inspect-port.mjs', { args: ['inherit'], execArgv: ['--inspect=127.0.0.1:0'] });
    expect(ours).toEqual(node);
    expect(ours.filter((entry) => entry.event === 'worker port').map((entry) => entry.offset)).toEqual([1, 2, 3]);
    expect(ours.at(-1)).toMatchObject({ event: 'ports', distinct: 3 });
  });
});

describe('cluster.schedulingPolicy', () => {
  for (const env of ['', 'rr', 'none']) {
    for (const mode of ['default', 'set-none', 'set-rr']) {
      it(`follows NODE_CLUSTER_SCHED_POLICY=${env || '(unset)'} and is frozen by the first fork (${mode})`, async () => {
        const { node, ours } = await both('scheduling.mjs', { args: [mode], env: { NODE_CLUSTER_SCHED_POLICY: env } });
        expect(ours).toEqual(node);
        const reports = ours.filter((entry) => entry.event === 'report').map((entry) => entry.ownSocket);
        // SCHED_NONE gives the worker a listen socket of its own; SCHED_RR does not.
        const none = mode === 'set-none' || (mode === 'default' && env === 'none');
        expect(reports).toEqual([none, none]);
      });
    }
  }

  it("rejects a value other than SCHED_RR or SCHED_NONE at the first setupPrimary(), with Node's code", async () => {
    const { node, ours } = await both('scheduling.mjs', { args: ['bad'] });
    expect(ours).toEqual(node);
    expect(ours.at(-1)).toMatchObject({ code: 'ERR_INTERNAL_ASSERTION' });
  });
});
