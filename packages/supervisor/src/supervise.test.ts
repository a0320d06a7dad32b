import { EventEmitter, once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PRELOAD_FLAG } from './preload-flag.ts';
import { SUPERVISOR_ENV } from './protocol.ts';
import { supervise } from './supervise.ts';
import type { Supervisor } from './supervisor.ts';

/** A child process stand-in: no IPC channel, and `kill()` ends its worker. */
class FakeChild extends EventEmitter {
  readonly pid = undefined;
  readonly connected = false;
  constructor(readonly onKill: (signal: NodeJS.Signals) => void) {
    super();
  }
  kill(signal: NodeJS.Signals): boolean {
    this.onKill(signal);
    return true;
  }
}

/** A cluster worker stand-in, driven by the test: `listen()`, `crash()`. */
class FakeWorker extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWorker.nextId++;
  readonly process = new FakeChild((signal) => this.#exit(null, signal));
  #connected = true;
  #dead = false;
  constructor(readonly env: NodeJS.ProcessEnv) {
    super();
  }
  isConnected() {
    return this.#connected;
  }
  isDead() {
    return this.#dead;
  }
  disconnect() {
    this.#connected = false;
    setImmediate(() => {
      this.emit('disconnect');
      this.#exit(0, null);
    });
  }
  listen() {
    this.emit('listening', { address: '127.0.0.1', port: 1, addressType: 4 });
  }
  crash(code = 1) {
    this.#exit(code, null);
  }
  #exit(code: number | null, signal: NodeJS.Signals | null) {
    if (this.#dead) return;
    this.#dead = true;
    this.#connected = false;
    this.emit('exit', code, signal);
  }
}

/** A primary cluster stand-in: forked workers listen on the next turn unless `autoListen` is off. */
class FakeCluster {
  isPrimary = true;
  settings: { execArgv?: string[] } = {};
  readonly forked: FakeWorker[] = [];
  constructor(readonly autoListen = true) {}
  setupPrimary(settings: { execArgv?: string[] } = {}) {
    this.settings = { ...this.settings, ...settings };
  }
  fork(env: NodeJS.ProcessEnv) {
    const worker = new FakeWorker(env);
    this.forked.push(worker);
    if (this.autoListen) setImmediate(() => worker.listen());
    return worker;
  }
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

const QUICK = { heartbeat: false, restart: { initialDelay: 10 }, drain: { timeout: 1_000 } } as const;

async function stopped(supervisor: Supervisor<FakeWorker>) {
  await supervisor.shutdown();
}

describe('supervise()', () => {
  it('refuses what is not a cluster, a worker-side cluster, and a second supervisor', async () => {
    expect(codeOf(() => supervise({} as never))).toBe('ERR_INVALID_ARG_TYPE');
    const worker = Object.assign(new FakeCluster(), { isPrimary: false });
    expect(codeOf(() => supervise(worker, { workers: 1 }))).toBe('ERR_CLUSTER_NOT_PRIMARY');
    const cluster = new FakeCluster();
    const supervisor = supervise(cluster, { ...QUICK, workers: 1 });
    expect(codeOf(() => supervise(cluster, { workers: 1 }))).toBe('ERR_CLUSTER_ALREADY_SUPERVISED');
    expect(codeOf(() => supervise(new FakeCluster(), { workers: -1 }))).toBe('ERR_OUT_OF_RANGE');
    await supervisor.ready;
    await stopped(supervisor);
    // Once the first has stopped, the cluster can have another.
    await stopped(supervise(cluster, { ...QUICK, workers: 0 }));
  });

  it('preloads its worker side after the execArgv the user set, again after the user replaces them', async () => {
    const cluster = new FakeCluster();
    cluster.setupPrimary({ execArgv: ['--max-old-space-size=100'] });
    const supervisor = supervise(cluster, { ...QUICK, workers: 1 });
    await supervisor.ready;
    expect(cluster.settings.execArgv).toEqual(['--max-old-space-size=100', PRELOAD_FLAG]);
    expect(PRELOAD_FLAG.startsWith('--require=')).toBe(true);
    cluster.setupPrimary({ execArgv: ['--trace-warnings'] });
    await supervisor.reload();
    expect(cluster.settings.execArgv).toEqual(['--trace-warnings', PRELOAD_FLAG]);
    await stopped(supervisor);
  });

  it("puts the slot number and the user's env in each worker's environment", async () => {
    const cluster = new FakeCluster();
    const supervisor = supervise(cluster, { ...QUICK, workers: 2, env: (slot) => ({ ROLE: `r${slot}` }) });
    await supervisor.ready;
    const envs = cluster.forked.map((worker) => worker.env);
    expect(envs.map(({ NODE_APP_INSTANCE, CLUSTER_SLOT, ROLE }) => [NODE_APP_INSTANCE, CLUSTER_SLOT, ROLE])).toEqual([
      ['0', '0', 'r0'],
      ['1', '1', 'r1'],
    ]);
    expect(JSON.parse(envs[0]?.[SUPERVISOR_ENV] as string)).toEqual({ v: 1, flag: PRELOAD_FLAG, beat: 0 });
    expect(supervisor.workers.map((slot) => [slot.id, slot.state, slot.restarts])).toEqual([
      [0, 'ready', 0],
      [1, 'ready', 0],
    ]);
    await stopped(supervisor);
  });

  it('makes reloads asked for during a reload into one more pass, never two at once', async () => {
    const cluster = new FakeCluster();
    const supervisor = supervise(cluster, { ...QUICK, workers: 2 });
    await supervisor.ready;
    let running = 0;
    let most = 0;
    let passes = 0;
    supervisor.on('reloadStart', () => {
      passes += 1;
      most = Math.max(most, ++running);
    });
    supervisor.on('reloadEnd', () => {
      running -= 1;
    });
    const first = supervisor.reload();
    // Asked for at the same moment: one pass.
    expect(supervisor.reload()).toBe(first);
    await once(supervisor, 'reloadStart');
    const second = supervisor.reload();
    const third = supervisor.reload();
    expect(second).not.toBe(first);
    expect(third).toBe(second);
    expect(await first).toEqual({ replaced: 2 });
    expect(await second).toEqual({ replaced: 2 });
    expect(passes).toBe(2);
    expect(most).toBe(1);
    expect(cluster.forked).toHaveLength(2 + 2 * 2);
    await stopped(supervisor);
  });

  it('respawns a crashed worker in its slot after the backoff delay and counts the restart', async () => {
    const cluster = new FakeCluster();
    const supervisor = supervise(cluster, { ...QUICK, workers: 1 });
    await supervisor.ready;
    const restarted = once(supervisor, 'restart');
    cluster.forked[0]?.crash(7);
    const [event] = await restarted;
    expect(event).toMatchObject({ delay: 10, failures: 1, cause: { code: 'ERR_CLUSTER_WORKER_EXITED', exitCode: 7 } });
    await once(supervisor, 'ready');
    expect(cluster.forked).toHaveLength(2);
    expect(supervisor.workers[0]).toMatchObject({ state: 'ready', restarts: 1, worker: cluster.forked[1] });
    await stopped(supervisor);
  });

  it('on shutdown, rejects what waits: ready, a queued reload, later calls', async () => {
    const cluster = new FakeCluster(false);
    const supervisor = supervise(cluster, { ...QUICK, workers: 1 });
    const reload = supervisor.reload();
    const result = supervisor.shutdown();
    await expect(supervisor.ready).rejects.toMatchObject({ code: 'ERR_CLUSTER_SUPERVISOR_STOPPED' });
    await expect(reload).rejects.toMatchObject({ code: 'ERR_CLUSTER_SUPERVISOR_STOPPED' });
    await expect(supervisor.scale(2)).rejects.toMatchObject({ code: 'ERR_CLUSTER_SUPERVISOR_STOPPED' });
    expect(supervisor.shutdown()).toBe(result);
    expect(await result).toEqual({ workers: 0, forced: 0 });
    expect(cluster.forked).toHaveLength(0);
  });

  it('rejects a bad scale() or shutdown() argument with Node-style codes', async () => {
    const cluster = new FakeCluster();
    const supervisor = supervise(cluster, { ...QUICK, workers: 1 });
    await expect(supervisor.scale(-1)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(supervisor.scale('all' as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    await expect(supervisor.shutdown({ timeout: -5 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await stopped(supervisor);
  });
});
