import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { both, bySide, perWorker, settleEnding } from './helpers.ts';

afterEach(() => killAll());

/** How each way of leaving ends, on node:cluster (checked against it in every run). */
const EXIT_PATHS = {
  'primary-disconnect': { code: 0, signal: null, exitedAfterDisconnect: true },
  'worker-disconnect': { code: 0, signal: null, exitedAfterDisconnect: true },
  'primary-kill': { code: null, signal: 'SIGTERM', exitedAfterDisconnect: false },
  'primary-kill-sighup': { code: null, signal: 'SIGHUP', exitedAfterDisconnect: false },
  'primary-kill-trapped': { code: 0, signal: null, exitedAfterDisconnect: false },
  'primary-destroy': { code: null, signal: 'SIGTERM', exitedAfterDisconnect: false },
  'worker-kill': { code: 0, signal: null, exitedAfterDisconnect: true },
  accidental: { code: 0, signal: null, exitedAfterDisconnect: false },
  'worker-process-disconnect': { code: 0, signal: null, exitedAfterDisconnect: false },
  exit: { code: 3, signal: null, exitedAfterDisconnect: false },
  crash: { code: 1, signal: null, exitedAfterDisconnect: false },
  'self-signal': { code: null, signal: 'SIGKILL', exitedAfterDisconnect: false },
} as const;

describe('a worker leaving', () => {
  for (const [mode, expected] of Object.entries(EXIT_PATHS)) {
    it(`emits Node's events with Node's state on the way out (${mode})`, async () => {
      const { node, ours } = await both('exit-paths.mjs', { args: [mode] });
      const [n, o] = [bySide(node), bySide(ours)];
      const [nEnd, oEnd] = [settleEnding(n.primary), settleEnding(o.primary)];
      expect(oEnd.trace).toEqual(nEnd.trace);
      expect(o.worker).toEqual(n.worker);
      // The page's rule: out of cluster.workers by the last of 'disconnect' and 'exit'.
      expect(nEnd.removedByLast).toBe(true);
      expect(oEnd.removedByLast).toBe(true);
      const exit = oEnd.trace.find((entry) => entry.event === 'cluster:exit');
      expect(exit).toMatchObject(expected);
      // fork before online, both before anything else; exitedAfterDisconnect undefined until the end.
      expect(o.primary.slice(0, 4).map((entry) => entry.event)).toEqual([
        'forked',
        'cluster:fork',
        'worker:online',
        'cluster:online',
      ]);
      expect(o.primary.slice(0, 4).every((entry) => entry.exitedAfterDisconnect === 'undefined')).toBe(true);
    });
  }

  it('removes the worker from cluster.workers as soon as the primary calls disconnect(), as Node does', async () => {
    const { node, ours } = await both('exit-paths.mjs', { args: ['primary-disconnect'] });
    for (const trace of [node, ours]) {
      expect(trace.find((entry) => entry.event === 'after disconnect()')).toMatchObject({
        connected: true,
        exitedAfterDisconnect: true,
        workers: [],
      });
    }
  });

  it('signals the worker at once on kill(), still connected, as Node 20 does', async () => {
    const { node, ours } = await both('exit-paths.mjs', { args: ['primary-kill-trapped'] });
    for (const trace of [node, ours]) {
      expect(trace.find((entry) => entry.event === 'worker side: SIGTERM')).toMatchObject({ connected: true });
    }
  });

  it('ends a worker with code 0 when its IPC channel drops without disconnect()', async () => {
    const { node, ours } = await both('exit-paths.mjs', { args: ['accidental'] });
    for (const trace of [node, ours]) {
      expect(trace.find((entry) => entry.event === 'worker side: disconnect')).toMatchObject({
        exitedAfterDisconnect: 'undefined',
      });
      expect(trace.find((entry) => entry.event === 'cluster:exit')).toMatchObject({ code: 0, signal: null });
    }
  });
});

describe('calls right after fork()', () => {
  for (const mode of ['disconnect', 'kill']) {
    it(`carry out ${mode}() called before the worker is online, as Node does`, async () => {
      const { node, ours } = await both('early-calls.mjs', { args: [mode] });
      const [n, o] = [bySide(node), bySide(ours)];
      expect(settleEnding(o.primary).trace).toEqual(settleEnding(n.primary).trace);
      expect(o.primary.at(-1)).toMatchObject(
        mode === 'disconnect'
          ? { code: 0, exitedAfterDisconnect: true }
          : { signal: 'SIGTERM', exitedAfterDisconnect: false },
      );
    });
  }
});

describe('worker.send()', () => {
  it('delivers every argument form both ways, handles included, as Node does', async () => {
    const { node, ours: all } = await both('send-forms.mjs');
    // A user message whose cmd starts with NODE_ is swallowed by Node's child_process; ours delivers
    // what user code sent (docs/decisions.md). Everything else must match Node.
    const looksInternal = (entry: object) => JSON.stringify(entry).includes('looks_internal');
    const ours = all.filter((entry) => !looksInternal(entry));
    const [n, o] = [bySide(node), bySide(ours)];
    expect(o.primary).toEqual(n.primary);
    expect(o.worker).toEqual(n.worker);
    const forms = ['msg', 'msg, cb', 'msg, null, cb', 'msg, handle', 'msg, handle, options, cb'];
    const received = (entries: typeof o.primary, event: string) =>
      entries.filter((entry) => entry.event === event).map((entry) => entry.message);
    expect(received(o.worker, 'process:message')).toEqual([...forms, 'primary done']);
    expect(received(o.primary, 'cluster:message')).toEqual(['ready', ...forms, 'worker done']);
    expect(JSON.stringify(node)).not.toContain('looks_internal');
    expect(
      all
        .filter(looksInternal)
        .map((entry) => entry.event)
        .sort(),
    ).toEqual(['cluster.worker:message', 'cluster:message', 'process:message', 'worker:message']);
  });
});

describe('the worker error event', () => {
  it("is the ChildProcess's, and cluster does not mirror it (as in Node)", async () => {
    const { node, ours } = await both('worker-error.mjs');
    expect(ours).toEqual(node);
    expect(ours.map((entry) => entry.event)).not.toContain('cluster:error');
    expect(ours.find((entry) => entry.event === 'worker:error')).toMatchObject({ code: 'ERR_IPC_CHANNEL_CLOSED' });
    expect(ours.find((entry) => entry.event === 'unborn:error')).toMatchObject({ code: 'ENOENT', workers: ['2'] });
  });
});

describe('several workers', () => {
  it('keeps unique ids in a plain cluster.workers and reports every address type, per worker as Node', async () => {
    const { node, ours } = await both('workers-table.mjs');
    expect(perWorker(ours)).toEqual(perWorker(node));
    const keys = (trace: typeof ours, event: string) => trace.find((entry) => entry.event === event)?.keys;
    for (const trace of [node, ours]) {
      expect(trace[0]).toMatchObject({ event: 'table', plain: true, keys: [] });
      expect(keys(trace, 'all listening')).toEqual(['1', '2', '3']);
      expect(keys(trace, 'replacement')).toEqual(['1', '3', '4']);
    }
  });
});

describe('worker.disconnect()', () => {
  for (const side of ['primary', 'worker']) {
    it(`waits for server connections to end, not for client connections (called in the ${side})`, async () => {
      const { node, ours } = await both('disconnect-waits.mjs', { args: [side] });
      const [n, o] = [bySide(node), bySide(ours)];
      expect(o.primary).toEqual(n.primary);
      expect(o.worker).toEqual(n.worker);
      const events = o.primary.map((entry) => entry.event);
      expect(events.indexOf('echo while disconnecting')).toBeLessThan(events.indexOf('disconnect'));
      expect(o.primary.find((entry) => entry.event === 'disconnect')).toMatchObject({ clientStillOpen: true });
      expect(o.primary.at(-1)).toMatchObject({ event: 'exit', code: 0, exitedAfterDisconnect: true });
    });
  }
});

describe('cluster.disconnect()', () => {
  it('calls back once the first worker is gone, as Node does, and the primary then exits by itself', async () => {
    const { node, ours } = await both('disconnect-all.mjs');
    for (const trace of [node, ours]) {
      const callbacks = trace.filter((entry) => entry.event === 'callback');
      expect(callbacks).toHaveLength(1);
      expect(callbacks[0]).toMatchObject({ workers: 0 });
      expect(callbacks[0]?.gone).toBeGreaterThanOrEqual(1);
      expect(trace.find((entry) => entry.event === 'after disconnect()')).toMatchObject({ workers: 0 });
      expect(trace.at(-1)).toMatchObject({ event: 'primary exit', disconnect: 2, exit: 2 });
    }
    expect(perWorker(ours)).toEqual(perWorker(node));
  });

  it('calls back on the next tick when there are no workers', async () => {
    const { node, ours } = await both('disconnect-empty.mjs');
    expect(ours).toEqual(node);
    expect(ours.map((entry) => entry.event)).toEqual(['after disconnect()', 'callback', 'next tick']);
  });
});

describe("a worker's own children", () => {
  it('start as primaries: the worker-id variable is gone from the worker environment', async () => {
    const { node, ours } = await both('grandchild.mjs');
    expect(bySide(ours)).toEqual(bySide(node));
    expect(ours.find((entry) => entry.event === 'grandchild')).toMatchObject({ isPrimary: true, seesWorkerId: false });
    expect(ours.find((entry) => entry.event === 'worker')).toMatchObject({ seesWorkerId: false, execArgv: [] });
  });
});
