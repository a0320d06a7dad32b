import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Drain, type DrainTarget, EXIT_AFTER_DISCONNECT_MS, type KillReason } from './drain.ts';

/** A worker stand-in: records what the drain does to it; the test settles its drain request and disconnect. */
function target(canDrain = true) {
  const log: string[] = [];
  let answer!: { resolve: (value: null) => void; reject: (error: unknown) => void };
  let disconnected!: () => void;
  const fake: DrainTarget = {
    canDrain,
    requestDrain: () =>
      new Promise<null>((resolve, reject) => {
        log.push('drain request');
        answer = { resolve, reject };
      }),
    disconnect: () =>
      new Promise<void>((resolve) => {
        log.push('disconnect');
        disconnected = resolve;
      }),
    signal: (signal) => log.push(signal),
  };
  return {
    fake,
    log,
    drained: () => answer.resolve(null),
    refused: (code: string) => answer.reject(Object.assign(new Error(code), { code })),
    disconnected: () => disconnected(),
  };
}

function drainOf(worker: ReturnType<typeof target>, timeout: number) {
  const kills: Array<[NodeJS.Signals, KillReason]> = [];
  const drain = new Drain(worker.fake, {
    deadline: Date.now() + timeout,
    idleTimeout: 100,
    killTimeout: 500,
    onKill: (signal, reason) => kills.push([signal, reason]),
  });
  return { drain, kills };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Drain', () => {
  it('asks the worker side, then disconnects, and is over at the exit, drained and unsignalled', async () => {
    const worker = target();
    const { drain, kills } = drainOf(worker, 10_000);
    drain.start();
    expect(worker.log).toEqual(['drain request']);
    worker.drained();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.log).toEqual(['drain request', 'disconnect']);
    worker.disconnected();
    drain.exited();
    expect(await drain.done).toEqual({ drained: true, signal: undefined });
    expect(kills).toEqual([]);
  });

  it('sends SIGTERM to a drained worker that does not exit, EXIT_AFTER_DISCONNECT_MS after its disconnect', async () => {
    const worker = target();
    const { drain, kills } = drainOf(worker, 60_000);
    drain.start();
    worker.drained();
    await vi.advanceTimersByTimeAsync(0);
    worker.disconnected();
    await vi.advanceTimersByTimeAsync(EXIT_AFTER_DISCONNECT_MS - 1);
    expect(kills).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(kills).toEqual([['SIGTERM', 'drained']]);
    drain.exited();
    expect(await drain.done).toEqual({ drained: true, signal: 'SIGTERM' });
  });

  it('sends SIGTERM at the deadline, then SIGKILL after killTimeout', async () => {
    const worker = target();
    const { drain, kills } = drainOf(worker, 1_000);
    drain.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(kills).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(kills).toEqual([['SIGTERM', 'deadline']]);
    await vi.advanceTimersByTimeAsync(500);
    expect(kills).toEqual([
      ['SIGTERM', 'deadline'],
      ['SIGKILL', 'deadline'],
    ]);
    drain.exited();
    expect(await drain.done).toEqual({ drained: false, signal: 'SIGKILL' });
  });

  it('moves the deadline earlier when tightened, never later', async () => {
    const worker = target();
    const { drain, kills } = drainOf(worker, 10_000);
    drain.start();
    drain.tighten(Date.now() + 20_000);
    drain.tighten(Date.now() + 300);
    await vi.advanceTimersByTimeAsync(300);
    expect(kills).toEqual([['SIGTERM', 'deadline']]);
    drain.exited();
  });

  it("falls back to the cluster's disconnect without a worker side, or when it cannot drain", async () => {
    const without = target(false);
    const first = drainOf(without, 10_000);
    first.drain.start();
    expect(without.log).toEqual(['disconnect']);
    without.disconnected();
    first.drain.exited();
    expect(await first.drain.done).toEqual({ drained: true, signal: undefined });

    const refusing = target();
    const second = drainOf(refusing, 10_000);
    second.drain.start();
    refusing.refused('ERR_CLUSTER_IPC_UNKNOWN_NAMESPACE');
    await vi.advanceTimersByTimeAsync(0);
    expect(refusing.log).toEqual(['drain request', 'disconnect']);
    second.drain.exited();
  });

  it('terminates at once, and kills at once when forced', async () => {
    const worker = target();
    const { drain, kills } = drainOf(worker, 10_000);
    drain.terminate('unresponsive');
    drain.kill();
    expect(kills).toEqual([
      ['SIGTERM', 'unresponsive'],
      ['SIGKILL', 'forced'],
    ]);
    drain.exited();
    expect(await drain.done).toEqual({ drained: false, signal: 'SIGKILL' });
  });
});
