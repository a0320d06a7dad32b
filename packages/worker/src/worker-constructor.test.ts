import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Worker } from './worker-constructor.ts';

describe('cluster.Worker', () => {
  it("is callable without new, as Node's is (test-cluster-worker-constructor)", () => {
    const worker = Worker.call({}, { id: 5 });
    expect(worker).toBeInstanceOf(Worker);
    expect(worker).toBeInstanceOf(EventEmitter);
    expect(worker.id).toBe(5);
    expect(Worker()).toMatchObject({ id: 0, state: 'none', exitedAfterDisconnect: undefined, process: undefined });
  });

  it('constructs with new, and its instances name it as their constructor', () => {
    const worker = new Worker({ id: 3, state: 'online', process });
    expect(worker).toMatchObject({ id: 3, state: 'online', process });
    expect(worker.constructor).toBe(Worker);
    expect(Worker.name).toBe('Worker');
    expect(Worker.prototype.constructor).toBe(Worker);
  });

  it('can be subclassed, and a subclass constructs its own instances', () => {
    class Tagged extends Worker {
      readonly tag = 'mine';
    }
    const worker = new Tagged({ id: 2 });
    expect(worker).toBeInstanceOf(Tagged);
    expect(worker).toBeInstanceOf(Worker);
    expect([worker.tag, worker.id]).toEqual(['mine', 2]);
  });
});
