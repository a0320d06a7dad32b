import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Worker, type WorkerRole } from './worker.ts';

const role: WorkerRole = { disconnect() {}, destroy() {} };

function fakeProcess(fields: Record<string, unknown> = {}) {
  return Object.assign(new EventEmitter(), { connected: true, exitCode: null, signalCode: null }, fields);
}

describe('Worker', () => {
  it("starts as Node's: state 'none', exitedAfterDisconnect undefined, integer id", () => {
    const worker = new Worker({ id: 3.7, process: fakeProcess() as never, role });
    expect(worker).toMatchObject({ id: 3, state: 'none', exitedAfterDisconnect: undefined });
    expect(new Worker()).toMatchObject({ id: 0, state: 'none', process: undefined });
  });

  it("forwards the process's message and error events with all their arguments", () => {
    const proc = fakeProcess();
    const worker = new Worker({ id: 1, process: proc as never, role });
    const seen: unknown[][] = [];
    worker.on('message', (...args) => seen.push(['message', ...args]));
    worker.on('error', (...args) => seen.push(['error', ...args]));
    const handle = {};
    proc.emit('message', { hi: 1 }, handle);
    proc.emit('error', 'boom', 'extra');
    expect(seen).toEqual([
      ['message', { hi: 1 }, handle],
      ['error', 'boom', 'extra'],
    ]);
  });

  it('is connected while its process is, and dead once it has an exit code or a signal', () => {
    const proc = fakeProcess();
    const worker = new Worker({ id: 1, process: proc as never, role });
    expect([worker.isConnected(), worker.isDead()]).toEqual([true, false]);
    Object.assign(proc, { connected: false, signalCode: 'SIGTERM' });
    expect([worker.isConnected(), worker.isDead()]).toEqual([false, true]);
    Object.assign(proc, { signalCode: null, exitCode: 0 });
    expect(worker.isDead()).toBe(true);
  });

  it('sends through its process with the arguments it was given', () => {
    const calls: unknown[][] = [];
    const proc = fakeProcess({ send: (...args: unknown[]) => calls.push(args) > 0 });
    const worker = new Worker({ id: 1, process: proc as never, role });
    const callback = () => {};
    expect(worker.send('a', undefined, {}, callback)).toBe(true);
    expect(calls).toEqual([['a', undefined, {}, callback]]);
  });

  it('leaves disconnect() and kill()/destroy() to its role, and disconnect() returns the worker', () => {
    const calls: unknown[][] = [];
    const spy: WorkerRole = {
      disconnect: (w) => calls.push(['disconnect', w.id]),
      destroy: (w, signal) => calls.push(['destroy', w.id, signal]),
    };
    const worker = new Worker({ id: 2, process: fakeProcess() as never, role: spy });
    expect(worker.disconnect()).toBe(worker);
    worker.kill('SIGHUP');
    worker.destroy();
    expect(calls).toEqual([
      ['disconnect', 2],
      ['destroy', 2, 'SIGHUP'],
      ['destroy', 2, undefined],
    ]);
  });
});
